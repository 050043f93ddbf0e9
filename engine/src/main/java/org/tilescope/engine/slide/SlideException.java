package org.tilescope.engine.slide;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A slide, or a part of it, cannot be read. The message always starts with the file or URL it is
 * about, so it can be shown to a user as one line: {@code "slide.dzi: truncated XML (line 5)"}.
 */
public class SlideException extends IOException {
    private final String location;
    private final Path file;
    private final String problem;

    public SlideException(Path file, String problem) {
        this(file, problem, null);
    }

    public SlideException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.location = String.valueOf(file);
        this.file = file;
        this.problem = problem;
    }

    public SlideException(URI location, String problem) {
        this(location, problem, null);
    }

    public SlideException(URI location, String problem, Throwable cause) {
        super(display(location) + ": " + problem, cause);
        this.location = display(location);
        this.file = "file".equalsIgnoreCase(location.getScheme()) ? Path.of(location) : null;
        this.problem = problem;
    }

    /** A location as a user reads it: a local path as a path, anything else as its URI. */
    public static String display(URI location) {
        return "file".equalsIgnoreCase(location.getScheme()) ? Path.of(location).toString() : location.toString();
    }

    /** The file (or folder) that is bad, or null when the slide is not a local file. */
    public Path file() {
        return file;
    }

    /** The file or URL that is bad, as shown in the message. */
    public String location() {
        return location;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
