package org.tilescope.app.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** A slide as the user types it: a URL when it has a scheme ({@code https://…}), else a local path. */
public final class SlideLocations {
    /** A scheme of two letters or more then "://" (one letter is a Windows drive, "C:\"). */
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+://.*");

    private SlideLocations() {
    }

    /** True when the argument is written as a URL rather than a path. */
    public static boolean isUrl(String arg) {
        return URL.matcher(arg).matches() || arg.toLowerCase(Locale.ROOT).startsWith("file:");
    }

    /**
     * The location of a slide argument: a {@code file:} URI of the absolute path for a path or a
     * {@code file:} URL, else the URL as given.
     *
     * @throws IllegalArgumentException naming the argument when it is neither
     */
    public static URI of(String arg) {
        if (isUrl(arg)) {
            URI u;
            try {
                u = new URI(arg);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(arg + ": not a valid URL (" + e.getReason() + ")");
            }
            if ("file".equalsIgnoreCase(u.getScheme())) {
                try {
                    return Path.of(u).toAbsolutePath().normalize().toUri();
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                    throw new IllegalArgumentException(arg + ": not a valid file URL");
                }
            }
            return u;
        }
        try {
            return Path.of(arg).toAbsolutePath().normalize().toUri();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(arg + ": not a valid path (" + e.getReason() + ")");
        }
    }

    /**
     * The image's name in a slide URL, for titles: the last path segment, or for a server
     * endpoint the last segment of the path in its query; an IIIF {@code /info.json} names the
     * segment before it ({@code …?IIIF=/data/case.tif/info.json} is "case.tif").
     */
    public static String displayName(URI location) {
        if ("file".equalsIgnoreCase(location.getScheme())) {
            Path p = Path.of(location);
            return p.getFileName() == null ? p.toString() : p.getFileName().toString();
        }
        String s = location.getRawQuery() != null && location.getRawQuery().contains("/")
                ? location.getQuery() : location.getPath();
        if (s == null || s.isEmpty()) {
            return location.toString();
        }
        if (s.endsWith("/info.json")) {
            s = s.substring(0, s.length() - "/info.json".length());
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String name = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('=')) + 1);
        return name.isEmpty() ? location.toString() : name;
    }
}
