package org.tilescope.engine.library;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** A scan under way: its live status, its end, and a way to stop it. */
public interface LibraryScan {

    /** Completes when the scan, the tokenization of what it found, and the store write are done. */
    CompletableFuture<ScanReport> report();

    Status status();

    /** Stops walking and opening slides; what was found so far stays in the library. */
    void cancel();

    /**
     * Where a scan is.
     *
     * @param found      slides found so far (opened or unchanged)
     * @param failed     slides that did not open
     * @param tokenized  slides tokenized so far
     * @param toTokenize slides found that still wait to be tokenized
     * @param walking    still walking folders and opening slides
     * @param done       everything finished
     */
    record Status(int found, int failed, int tokenized, int toTokenize, boolean walking, boolean done) {
        /** "312 slides found, indexing…" */
        public String describe() {
            String slides = found == 1 ? "1 slide" : String.format(Locale.ROOT, "%,d slides", found);
            if (done) {
                return slides + (failed > 0 ? String.format(Locale.ROOT, ", %,d failed", failed) : "");
            }
            return slides + " found, " + (walking ? "scanning…" : "indexing…");
        }
    }
}
