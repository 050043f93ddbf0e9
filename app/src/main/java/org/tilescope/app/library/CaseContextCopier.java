package org.tilescope.app.library;

import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.tilescope.engine.library.CaseContext;

/**
 * "Copy case as LLM context": the slide as one Markdown block (metadata, tags, notes, annotation
 * names), counted exactly off the EDT, then put on the system clipboard with the count told.
 */
public final class CaseContextCopier {
    private static final System.Logger LOG = System.getLogger(CaseContextCopier.class.getName());

    private final WindowLibrary library;
    private volatile CaseContext last;

    public CaseContextCopier(WindowLibrary library) {
        this.library = library;
    }

    /**
     * Builds the slide's context in the background, puts it on the clipboard on the EDT, and
     * tells {@code told} what happened ("Copied 1,234 tokens (o200k_base)", or why not).
     */
    public void copy(Path slide, Consumer<String> told) {
        library.read(lib -> {
            try {
                return lib.context(slide);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (CaseContext c) -> {
            last = c;
            try {
                Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(c.markdown()), null);
                told.accept(String.format(Locale.ROOT, "Copied: %,d tokens (%s)", c.tokens(), c.encoding()));
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "clipboard unavailable: " + e.getMessage());
                told.accept("⚠ The clipboard is busy; try again");
            }
        }, why -> told.accept("⚠ " + slide.getFileName() + ": " + why));
    }

    /** The context last copied (tests). */
    public CaseContext last() {
        return last;
    }
}
