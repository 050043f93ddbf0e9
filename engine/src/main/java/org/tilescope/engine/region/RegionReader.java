package org.tilescope.engine.region;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;

/**
 * Composes any rectangle of any level from tiles: overlap trimmed, padded edge tiles clipped,
 * outside the slide white. A tile that fails is painted from the next coarser level that reads,
 * scaled up, so a bad tile never leaves a hole.
 */
public final class RegionReader {
    /** Largest region composed in one call, in pixels (1 GiB of int RGB). */
    public static final long MAX_PIXELS = 1L << 28;

    private final SlideSource source;
    private final TileDecoder decoder;

    public RegionReader(SlideSource source, TileDecoder decoder) {
        this.source = source;
        this.decoder = decoder;
    }

    public RegionReader(SlideSource source) {
        this(source, TileDecoder.standard());
    }

    /**
     * Reads a region the way OpenSlide's read_region does.
     *
     * @param level  engine level (0 = full resolution)
     * @param x0     left edge in level-0 pixels
     * @param y0     top edge in level-0 pixels
     * @param width  width in pixels of {@code level}
     * @param height height in pixels of {@code level}
     */
    public Region read(int level, long x0, long y0, int width, int height) {
        SlideInfo info = source.info();
        LevelInfo l = info.level(level);
        if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("region size " + width + "x" + height
                    + " must be positive and at most " + MAX_PIXELS + " pixels");
        }
        double fx = x0 / l.downsample();
        double fy = y0 / l.downsample();
        long lx = (long) Math.floor(fx);
        long ly = (long) Math.floor(fy);
        double tx = fx - lx;
        double ty = fy - ly;
        List<TileException> failures = new ArrayList<>();
        if (tx < 1e-6 && ty < 1e-6) {
            BufferedImage out = Images.white(width, height);
            paint(out, level, lx, ly, failures);
            return new Region(out, failures);
        }
        // A level-0 point between two pixels of this level: sample between them, as OpenSlide does
        // (it translates by the fraction and lets cairo interpolate bilinearly).
        BufferedImage src = Images.white(width + 1, height + 1);
        paint(src, level, lx, ly, failures);
        return new Region(shift(src, tx, ty, width, height), failures);
    }

    /** Bilinear resampling of {@code src} shifted left/up by (tx, ty) of a pixel, each in [0, 1). */
    static BufferedImage shift(BufferedImage src, double tx, double ty, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int wx = (int) Math.round(tx * 256);
        int wy = (int) Math.round(ty * 256);
        int[] r0 = new int[width + 1];
        int[] r1 = new int[width + 1];
        int[] o = new int[width];
        for (int y = 0; y < height; y++) {
            src.getRaster().getDataElements(0, y, width + 1, 1, r0);
            src.getRaster().getDataElements(0, y + 1, width + 1, 1, r1);
            for (int x = 0; x < width; x++) {
                o[x] = blend(blend(r0[x], r0[x + 1], wx), blend(r1[x], r1[x + 1], wx), wy);
            }
            out.getRaster().setDataElements(0, y, width, 1, o);
        }
        return out;
    }

    /** (1 - w/256) * a + (w/256) * b per channel, rounded. */
    private static int blend(int a, int b, int w) {
        int iw = 256 - w;
        int r = (((a >> 16) & 0xFF) * iw + ((b >> 16) & 0xFF) * w + 128) >> 8;
        int g = (((a >> 8) & 0xFF) * iw + ((b >> 8) & 0xFF) * w + 128) >> 8;
        int bl = ((a & 0xFF) * iw + (b & 0xFF) * w + 128) >> 8;
        return (r << 16) | (g << 8) | bl;
    }

    /** Paints level pixels [lx, lx+w) x [ly, ly+h) into {@code out}, which is w x h. */
    private void paint(BufferedImage out, int level, long lx, long ly, List<TileException> failures) {
        LevelInfo l = source.info().level(level);
        int w = out.getWidth();
        int h = out.getHeight();
        long cx0 = Math.max(lx, 0);
        long cy0 = Math.max(ly, 0);
        long cx1 = Math.min(lx + w, l.width());
        long cy1 = Math.min(ly + h, l.height());
        if (cx0 >= cx1 || cy0 >= cy1) {
            return;
        }
        int col0 = (int) (cx0 / l.tileWidth());
        int col1 = (int) ((cx1 - 1) / l.tileWidth());
        int row0 = (int) (cy0 / l.tileHeight());
        int row1 = (int) ((cy1 - 1) / l.tileHeight());
        PixelRect wanted = new PixelRect((int) cx0, (int) cy0, (int) (cx1 - cx0), (int) (cy1 - cy0));
        for (int row = row0; row <= row1; row++) {
            for (int col = col0; col <= col1; col++) {
                PixelRect owned = l.tileRect(col, row).intersect(wanted);
                if (owned.isEmpty()) {
                    continue;
                }
                try {
                    BufferedImage tile = decodeTile(level, col, row);
                    int[] origin = source.tileOrigin(level, col, row);
                    PixelRect avail = new PixelRect(origin[0], origin[1], tile.getWidth(), tile.getHeight())
                            .intersect(owned);
                    copy(tile, avail.x() - origin[0], avail.y() - origin[1], out,
                            (int) (avail.x() - lx), (int) (avail.y() - ly), avail.width(), avail.height());
                    // a short tile: fill only what it lacks, like a failed tile, but do not report it
                    PixelRect right = new PixelRect(avail.right(), owned.y(), owned.right() - avail.right(), owned.height());
                    PixelRect below = new PixelRect(owned.x(), avail.bottom(), avail.right() - owned.x(),
                            owned.bottom() - avail.bottom());
                    if (avail.isEmpty()) {
                        fillFromCoarser(out, level, lx, ly, owned, new ArrayList<>());
                    } else {
                        if (!right.isEmpty()) {
                            fillFromCoarser(out, level, lx, ly, right, new ArrayList<>());
                        }
                        if (!below.isEmpty()) {
                            fillFromCoarser(out, level, lx, ly, below, new ArrayList<>());
                        }
                    }
                } catch (TileException e) {
                    failures.add(e);
                    fillFromCoarser(out, level, lx, ly, owned, failures);
                }
            }
        }
    }

    private BufferedImage decodeTile(int level, int col, int row) throws TileException {
        byte[] bytes;
        try {
            bytes = source.readTile(level, col, row);
        } catch (TileException e) {
            throw e;
        } catch (IOException e) {
            throw new TileException(source.info().location(), level, col, row, e.getMessage(), e);
        }
        try {
            SlideInfo info = source.info();
            return decoder.decode(bytes, info.maxTileWidth(level), info.maxTileHeight(level));
        } catch (IOException e) {
            throw new TileException(source.info().location(), level, col, row, e.getMessage(), e);
        }
    }

    /**
     * Paints {@code area} (level pixels) from the next coarser level, scaled up bilinearly. The
     * coarser read is itself fault tolerant, so the search goes on down to the coarsest level.
     */
    private void fillFromCoarser(BufferedImage out, int level, long lx, long ly, PixelRect area,
                                 List<TileException> failures) {
        SlideInfo info = source.info();
        if (level + 1 >= info.levelCount()) {
            return; // nothing coarser: the area stays white
        }
        LevelInfo fine = info.level(level);
        LevelInfo coarse = info.level(level + 1);
        double scale = fine.downsample() / coarse.downsample(); // < 1
        long cx = (long) Math.floor(area.x() * scale);
        long cy = (long) Math.floor(area.y() * scale);
        long cx2 = (long) Math.ceil(area.right() * scale) + 1;
        long cy2 = (long) Math.ceil(area.bottom() * scale) + 1;
        // one coarse pixel of margin on each side so bilinear edges do not fade to white
        cx = Math.max(0, cx - 1);
        cy = Math.max(0, cy - 1);
        int cw = (int) (cx2 - cx);
        int ch = (int) (cy2 - cy);
        BufferedImage patch = Images.white(cw, ch);
        paint(patch, level + 1, cx, cy, failures);
        // past the coarse level's edge there are no pixels: repeat the edge so bilinear does not fade to white
        extendEdges(patch, (int) Math.min(cw, coarse.width() - cx), (int) Math.min(ch, coarse.height() - cy));
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.clipRect((int) (area.x() - lx), (int) (area.y() - ly), area.width(), area.height());
            double inv = 1 / scale;
            g.translate(cx * inv - lx, cy * inv - ly);
            g.scale(inv, inv);
            g.drawImage(patch, 0, 0, null);
        } finally {
            g.dispose();
        }
    }

    private static void extendEdges(BufferedImage img, int validW, int validH) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (validW <= 0 || validH <= 0) {
            return;
        }
        int[] px = new int[1];
        for (int y = 0; y < validH; y++) {
            img.getRaster().getDataElements(validW - 1, y, px);
            for (int x = validW; x < w; x++) {
                img.getRaster().setDataElements(x, y, px);
            }
        }
        int[] row = new int[w];
        img.getRaster().getDataElements(0, validH - 1, w, 1, row);
        for (int y = validH; y < h; y++) {
            img.getRaster().setDataElements(0, y, w, 1, row);
        }
    }

    private static void copy(BufferedImage src, int sx, int sy, BufferedImage dst, int dx, int dy, int w, int h) {
        if (w <= 0 || h <= 0) {
            return;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            src.getRaster().getDataElements(sx, sy + y, w, 1, row);
            dst.getRaster().setDataElements(dx, dy + y, w, 1, row);
        }
    }
}
