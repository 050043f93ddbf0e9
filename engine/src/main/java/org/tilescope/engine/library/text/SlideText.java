package org.tilescope.engine.library.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tilescope.engine.library.scan.SlideExaminer;
import org.tilescope.engine.library.store.StoredSlide;
import org.tilescope.engine.library.store.UserData;

/**
 * Everything a slide says in words: its name, metadata, sidecar notes, the typed note, and the
 * names and classes of its annotations. The search document and the token counts are made from
 * it; so is the LLM context.
 *
 * @param name        display name (file name without extension)
 * @param metadata    metadata lines ("Format: deepzoom", ...)
 * @param notes       sidecar notes: file and text, in sidecar order
 * @param typedNote   the note typed in Tilescope, "" when none
 * @param annotations annotation names and classes
 * @param warnings    what reading the sidecars ran into (too large, not UTF-8, ...)
 */
public record SlideText(String name, List<String> metadata, List<Note> notes, String typedNote,
                        List<String> annotations, List<String> warnings) {

    public SlideText {
        metadata = List.copyOf(metadata);
        notes = List.copyOf(notes);
        annotations = List.copyOf(annotations);
        warnings = List.copyOf(warnings);
    }

    /** One sidecar note. */
    public record Note(Path file, String text) {
    }

    /** Reads the sidecars of a stored slide (bounded) and puts its text together. */
    public static SlideText read(Path slide, StoredSlide stored, UserData user) {
        List<Note> notes = new ArrayList<>();
        List<String> annotations = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String s : stored.sidecars()) {
            Path file = Path.of(s);
            String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".geojson")) {
                AnnotationNames.Names names = AnnotationNames.read(file);
                annotations.addAll(names.names());
                warnings.addAll(names.warnings());
            } else {
                try {
                    NoteReader.Note n = NoteReader.read(file);
                    notes.add(new Note(file, n.text()));
                    warnings.addAll(n.warnings());
                } catch (IOException e) {
                    warnings.add(file + ": cannot read note (" + e.getMessage() + ")");
                }
            }
        }
        return new SlideText(SlideExaminer.name(slide, stored.format()), SlideExaminer.metadataLines(stored), notes, user.note(),
                annotations.stream().distinct().toList(), warnings);
    }

    /** All notes, sidecar and typed, as one text. */
    public String notesText() {
        StringBuilder b = new StringBuilder();
        for (Note n : notes) {
            b.append(n.text()).append('\n');
        }
        if (!typedNote.isEmpty()) {
            b.append(typedNote).append('\n');
        }
        return b.toString();
    }

    /** What is tokenized: name, metadata, notes, annotation names, one per line. */
    public String joined() {
        return joined(notesText());
    }

    /** {@link #joined()} with the notes already put together by {@link #notesText()}. */
    public String joined(String notesText) {
        StringBuilder b = new StringBuilder(name.length() + notesText.length() + 128).append(name).append('\n');
        for (String m : metadata) {
            b.append(m).append('\n');
        }
        b.append(notesText);
        for (String a : annotations) {
            b.append(a).append('\n');
        }
        return b.toString();
    }

    /** The instant estimate: UTF-8 bytes / 4, rounded up. */
    public static long estimate(String text) {
        return Math.ceilDiv(utf8Length(text), 4);
    }

    /** UTF-8 bytes of a string, counted without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // a lone surrogate encodes as '?' (1 byte) in Java; 3 keeps the estimate an upper bound
            }
        }
        return n;
    }
}
