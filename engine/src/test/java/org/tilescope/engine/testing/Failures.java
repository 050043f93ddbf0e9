package org.tilescope.engine.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/** Expected failures, each under a hang guard. */
public final class Failures {
    /** Only a guard against hangs, not a speed requirement. */
    public static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private Failures() {
    }

    /**
     * Opens {@code path}, expecting a SlideException whose message names {@code namedFile} and
     * contains every one of {@code problemWords} (case-insensitive).
     */
    public static SlideException openFails(Path path, Path namedFile, String... problemWords) {
        SlideException e = assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(SlideException.class, () -> {
            try (SlideSource s = Slides.open(path)) {
                s.info();
            }
        }, "opening " + path + " should fail"));
        assertMessage(e, namedFile, problemWords);
        return e;
    }

    /** Checks that an exception's message names the file and says the problem. */
    public static void assertMessage(Exception e, Path namedFile, String... problemWords) {
        String msg = String.valueOf(e.getMessage());
        assertTrue(msg.contains(namedFile.getFileName().toString()),
                "message should name " + namedFile.getFileName() + ": " + msg);
        for (String w : problemWords) {
            assertTrue(msg.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                    "message should say '" + w + "': " + msg);
        }
    }
}
