package org.tilescope.engine.library.text;

import java.nio.file.Path;
import java.util.List;

/** A slide as one Markdown block for an LLM chat. */
public final class CaseMarkdown {
    private CaseMarkdown() {
    }

    public static String of(Path slide, SlideText text, List<String> tags) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(text.name()).append("\n\n");
        b.append("- File: ").append(slide).append('\n');
        for (String m : text.metadata()) {
            b.append("- ").append(m).append('\n');
        }
        if (!tags.isEmpty()) {
            b.append("- Tags: ").append(String.join(", ", tags)).append('\n');
        }
        if (!text.typedNote().isBlank()) {
            b.append("\n## Note\n\n").append(text.typedNote().strip()).append('\n');
        }
        for (SlideText.Note n : text.notes()) {
            b.append("\n## ").append(n.file().getFileName()).append("\n\n").append(n.text().strip()).append('\n');
        }
        if (!text.annotations().isEmpty()) {
            b.append("\n## Annotations\n\n");
            for (String a : text.annotations()) {
                b.append("- ").append(a).append('\n');
            }
        }
        return b.toString();
    }
}
