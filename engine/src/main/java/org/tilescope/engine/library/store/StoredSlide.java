package org.tilescope.engine.library.store;

import java.util.List;

/**
 * One slide as the store keeps it: metadata only, the checksums that tell whether it changed,
 * and its token counts. Stored as JSON; field names are the format, so rename with care.
 *
 * @param format         short format name ("deepzoom", "fastpath", "tiff", "svs")
 * @param width          level-0 width
 * @param height         level-0 height
 * @param levels         pyramid levels
 * @param mpp            microns per pixel, or null
 * @param magnification  objective power, or null
 * @param bytes          bytes on disk (descriptor and tiles)
 * @param modified       the descriptor's modification time, epoch milliseconds
 * @param statKey        xxHash64 of the sizes and times of the descriptor and sidecars: a rescan
 *                       that finds the same key reads nothing
 * @param checksum       xxHash64 of the descriptor, the slide's size and the sidecars' contents
 * @param fingerprint    {@code ContentFingerprint} text, or null when the tiles could not be read
 * @param sidecars       notes and annotation files that belong to the slide, absolute paths
 * @param tokensEstimate bytes/4 of the slide's text
 * @param tokensExact    o200k_base tokens of the slide's text, or -1 until counted
 * @param tokensKey      the text key the counts were made for; another key means count again
 */
public record StoredSlide(String format, int width, int height, int levels, Double mpp, Double magnification,
                          long bytes, long modified, long statKey, long checksum, String fingerprint,
                          List<String> sidecars, long tokensEstimate, long tokensExact, long tokensKey) {

    public StoredSlide {
        sidecars = sidecars == null ? List.of() : List.copyOf(sidecars);
    }

    public StoredSlide withTokens(long estimate, long exact, long key) {
        return new StoredSlide(format, width, height, levels, mpp, magnification, bytes, modified, statKey, checksum,
                fingerprint, sidecars, estimate, exact, key);
    }

    public StoredSlide withStat(long newStatKey, long newModified) {
        return new StoredSlide(format, width, height, levels, mpp, magnification, bytes, newModified, newStatKey, checksum,
                fingerprint, sidecars, tokensEstimate, tokensExact, tokensKey);
    }
}
