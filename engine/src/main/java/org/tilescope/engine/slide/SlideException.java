package org.tilescope.engine.slide;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A slide, or a part of it, cannot be read. The message always starts with the file it is about,
 * so it can be shown to a user as one line: {@code "slide.dzi: truncated XML (line 5)"}.
 */
public class SlideException extends IOException {
    private final Path file;
    private final String problem;

    public SlideException(Path file, String problem) {
        this(file, problem, null);
    }

    public SlideException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or folder) that is bad. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
