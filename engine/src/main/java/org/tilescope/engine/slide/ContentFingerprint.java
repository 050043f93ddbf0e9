package org.tilescope.engine.slide;

import java.io.IOException;
import java.util.HexFormat;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * What a slide's content is, independent of where it lies: its level-0 size plus xxHash64 of the
 * encoded bytes of its coarsest tiles. A copy or a rename has the same fingerprint; a change to the
 * pixels of the coarse levels changes it. Reading is bounded: at most {@link #MAX_TILES} tiles.
 *
 * <p>It keys duplicates, the thumbnail cache and stored annotations. Slides whose coarse levels
 * match byte for byte but whose fine levels differ collide; a re-scan at another quality changes
 * the coarse JPEG bytes too, so in practice that means the same scan.
 *
 * @param width  level-0 width
 * @param height level-0 height
 * @param hash   xxHash64 of the coarse tiles' bytes, coarsest level first, row-major
 */
public record ContentFingerprint(int width, int height, long hash) {
    /** The most tiles read: the coarsest levels are taken whole while their tiles fit in this. */
    public static final int MAX_TILES = 64;
    private static final long SEED = 0x54_69_6c_65_73_63L;

    /**
     * Reads the coarsest levels of an open slide, whole levels only, until the next level would
     * exceed {@link #MAX_TILES} tiles (at least one level; of a level larger than that, its
     * first {@value #MAX_TILES} tiles).
     *
     * @throws IOException when a tile cannot be read: a fingerprint over a partial read would not
     *                     match the same slide read whole
     */
    public static ContentFingerprint of(SlideSource source) throws IOException {
        SlideInfo info = source.info();
        // the safe instance: the unsafe one prints JDK warnings and a fingerprint reads few bytes
        try (StreamingXXHash64 hash = XXHashFactory.safeInstance().newStreamingHash64(SEED)) {
            int budget = MAX_TILES;
            // the file's own levels: generated ones are the engine's JPEGs, and making them reads the whole slide
            int coarsest = info.levelCount() - 1;
            while (coarsest > 0 && info.level(coarsest).generated()) {
                coarsest--;
            }
            for (int level = coarsest; level >= 0 && budget > 0; level--) {
                LevelInfo l = info.level(level);
                if (l.tileCount() > budget && level != coarsest) {
                    break;
                }
                update(hash, l.width());
                update(hash, l.height());
                for (int row = 0; row < l.rows() && budget > 0; row++) {
                    for (int col = 0; col < l.cols() && budget > 0; col++) {
                        byte[] bytes = source.readTile(level, col, row);
                        update(hash, bytes.length);
                        hash.update(bytes, 0, bytes.length);
                        budget--;
                    }
                }
            }
            return new ContentFingerprint(info.width(), info.height(), hash.getValue());
        }
    }

    private static void update(StreamingXXHash64 hash, int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        hash.update(b, 0, 4);
    }

    /** A file-name-safe form, {@code WxH-hhhhhhhhhhhhhhhh}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return width + "x" + height + "-" + HexFormat.of().toHexDigits(hash);
    }

    public static ContentFingerprint parse(String text) {
        int x = text.indexOf('x');
        int dash = text.indexOf('-');
        if (x <= 0 || dash <= x || text.length() != dash + 17) {
            throw new IllegalArgumentException("not a content fingerprint: " + text);
        }
        return new ContentFingerprint(Integer.parseInt(text.substring(0, x)),
                Integer.parseInt(text.substring(x + 1, dash)), HexFormat.fromHexDigitsToLong(text, dash + 1, dash + 17));
    }
}
