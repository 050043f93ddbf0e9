package org.tilescope.engine.library;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.tilescope.engine.slide.ContentFingerprint;

/**
 * One slide of the library: what the scan recorded (metadata only), what the user gave it, and
 * its token count.
 *
 * @param path          absolute path of the slide (a file, or a FastPATH folder)
 * @param name          file name without extension
 * @param format        "deepzoom", "fastpath", "tiff" or "svs"
 * @param width         level-0 width in pixels
 * @param height        level-0 height in pixels
 * @param levels        pyramid levels
 * @param mpp           microns per pixel, when known
 * @param magnification objective power, when known
 * @param bytes         bytes on disk, tiles included
 * @param modified      when the slide's descriptor last changed
 * @param fingerprint   content fingerprint (duplicates, thumbnails), empty when the tiles could not be read
 * @param sidecars      notes and annotation files beside it (never modified by Tilescope)
 * @param tags          tags, sorted, lower case
 * @param note          the note typed in Tilescope, "" when none
 * @param tokens        token count of the slide's text
 */
public record LibrarySlide(Path path, String name, String format, int width, int height, int levels,
                           OptionalDouble mpp, OptionalDouble magnification, long bytes, Instant modified,
                           Optional<ContentFingerprint> fingerprint, List<Path> sidecars, List<String> tags,
                           String note, TokenCount tokens) {

    public LibrarySlide {
        sidecars = List.copyOf(sidecars);
        tags = List.copyOf(tags);
    }
}
