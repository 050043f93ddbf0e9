package org.tilescope.engine.region;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.decode.Images;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.slide.LevelInfo;
import org.tilescope.engine.slide.PixelRect;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.TileException;

/**
 * Composes any rectangle of any level from tiles: overlap trimmed, padded edge tiles clipped,
 * outside the slide white. Tiles that fail are painted from the next coarser level that reads,
 * scaled up, so a bad tile never leaves a hole; the fill of all of a level's failed tiles is
 * computed once, from one patch of the coarser level, so every tile is read at most once per
 * region and every failure is reported once.
 */
public final class RegionReader {
    private static final System.Logger LOG = System.getLogger(RegionReader.class.getName());
    /** Largest region composed in one call, in pixels (1 GiB of int RGB). */
    public static final long MAX_PIXELS = 1L << 28;
    /**
     * Most tiles one region may read at its level (a 16384 px square of 64 px tiles); a region
     * that needs more is read from the finest coarser level that needs fewer, and scaled up.
     */
    public static final int MAX_TILES = 1 << 16;

    private final SlideSource source;
    private final TileDecoder decoder;
    private final int maxTiles;

    public RegionReader(SlideSource source, TileDecoder decoder) {
        this(source, decoder, MAX_TILES);
    }

    /** With another tile cap (tests). */
    RegionReader(SlideSource source, TileDecoder decoder, int maxTiles) {
        this.source = source;
        this.decoder = decoder;
        this.maxTiles = maxTiles;
    }

    public RegionReader(SlideSource source) {
        this(source, TileDecoder.standard());
    }

    /** Failures found so far, each with its fill, filled in when the fill is known. */
    private static final class Failures {
        final List<TileException> errors = new ArrayList<>();
        final List<Region.Fill> fills = new ArrayList<>();

        int add(TileException e) {
            errors.add(e);
            fills.add(Region.Fill.NONE);
            return errors.size() - 1;
        }
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
        int readLevel = level;
        while (readLevel + 1 < info.levelCount()
                && tilesNeeded(info.level(readLevel), x0, y0, width * l.downsample(), height * l.downsample()) > maxTiles) {
            readLevel++;
        }
        if (readLevel != level) {
            return readCoarser(level, readLevel, x0, y0, width, height);
        }
        double fx = x0 / l.downsample();
        double fy = y0 / l.downsample();
        long lx = (long) Math.floor(fx);
        long ly = (long) Math.floor(fy);
        double tx = fx - lx;
        double ty = fy - ly;
        Failures failures = new Failures();
        if (tx < 1e-6 && ty < 1e-6) {
            BufferedImage out = Images.white(width, height);
            paint(out, level, lx, ly, failures);
            return new Region(out, failures.errors, failures.fills);
        }
        // A level-0 point between two pixels of this level: sample between them, as OpenSlide does
        // (it translates by the fraction and lets cairo interpolate bilinearly).
        BufferedImage src = Images.white(width + 1, height + 1);
        paint(src, level, lx, ly, failures);
        return new Region(shift(src, tx, ty, width, height), failures.errors, failures.fills);
    }

    /** Tiles of {@code l} a level-0 rectangle touches. */
    private static long tilesNeeded(LevelInfo l, long x0, long y0, double w0, double h0) {
        double ds = l.downsample();
        long cx0 = Math.max(0, (long) Math.floor(x0 / ds));
        long cy0 = Math.max(0, (long) Math.floor(y0 / ds));
        long cx1 = Math.min(l.width(), (long) Math.ceil((x0 + w0) / ds));
        long cy1 = Math.min(l.height(), (long) Math.ceil((y0 + h0) / ds));
        if (cx1 <= cx0 || cy1 <= cy0) {
            return 0;
        }
        return ((cx1 - 1) / l.tileWidth() - cx0 / l.tileWidth() + 1) * ((cy1 - 1) / l.tileHeight() - cy0 / l.tileHeight() + 1);
    }

    /** The region read at a coarser level (its tiles are too many at the one asked) and scaled up. */
    private Region readCoarser(int level, int coarse, long x0, long y0, int width, int height) {
        SlideInfo info = source.info();
        double scale = info.level(coarse).downsample() / info.level(level).downsample(); // > 1
        int cw = Math.max(1, (int) Math.ceil(width / scale) + 1);
        int ch = Math.max(1, (int) Math.ceil(height / scale) + 1);
        LOG.log(System.Logger.Level.INFO, "{0}: a {1}x{2} region of level {3} needs more than {4} tiles; read from level {5}",
                info.where(), width, height, level, maxTiles, coarse);
        Region r = read(coarse, x0, y0, cw, ch);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.scale(scale, scale);
            g.drawImage(r.image(), 0, 0, null);
        } finally {
            g.dispose();
        }
        return new Region(out, r.failures(), r.fills());
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

    /**
     * Paints level pixels [lx, lx+w) x [ly, ly+h) into {@code out}, which is w x h, filling what
     * its tiles lack from the coarser levels.
     *
     * @return the areas (level pixels) that got real pixels: tiles that read, and failed tiles
     *         whose fill found some
     */
    private List<PixelRect> paint(BufferedImage out, int level, long lx, long ly, Failures failures) {
        LevelInfo l = source.info().level(level);
        int w = out.getWidth();
        int h = out.getHeight();
        long cx0 = Math.max(lx, 0);
        long cy0 = Math.max(ly, 0);
        long cx1 = Math.min(lx + w, l.width());
        long cy1 = Math.min(ly + h, l.height());
        List<PixelRect> painted = new ArrayList<>();
        if (cx0 >= cx1 || cy0 >= cy1) {
            return painted;
        }
        int col0 = (int) (cx0 / l.tileWidth());
        int col1 = (int) ((cx1 - 1) / l.tileWidth());
        int row0 = (int) (cy0 / l.tileHeight());
        int row1 = (int) ((cy1 - 1) / l.tileHeight());
        PixelRect wanted = new PixelRect((int) cx0, (int) cy0, (int) (cx1 - cx0), (int) (cy1 - cy0));
        // areas this level has no pixels for: failed tiles, and what short tiles lack (not reported)
        List<PixelRect> gaps = new ArrayList<>();
        List<PixelRect> failedAreas = new ArrayList<>();
        List<Integer> failedIndex = new ArrayList<>();
        int maxW = Limits.maxTileEdge(l.tileWidth(), source.info().overlap());
        int maxH = Limits.maxTileEdge(l.tileHeight(), source.info().overlap());
        for (int row = row0; row <= row1; row++) {
            for (int col = col0; col <= col1; col++) {
                PixelRect owned = l.tileRect(col, row).intersect(wanted);
                if (owned.isEmpty()) {
                    continue;
                }
                try {
                    BufferedImage tile = decodeTile(level, col, row, maxW, maxH);
                    int[] origin = source.tileOrigin(level, col, row);
                    PixelRect avail = new PixelRect(origin[0], origin[1], tile.getWidth(), tile.getHeight())
                            .intersect(owned);
                    copy(tile, avail.x() - origin[0], avail.y() - origin[1], out,
                            (int) (avail.x() - lx), (int) (avail.y() - ly), avail.width(), avail.height());
                    if (avail.isEmpty()) {
                        gaps.add(owned);
                        continue;
                    }
                    painted.add(avail);
                    PixelRect right = new PixelRect(avail.right(), owned.y(), owned.right() - avail.right(), owned.height());
                    PixelRect below = new PixelRect(owned.x(), avail.bottom(), avail.right() - owned.x(),
                            owned.bottom() - avail.bottom());
                    if (!right.isEmpty()) {
                        gaps.add(right);
                    }
                    if (!below.isEmpty()) {
                        gaps.add(below);
                    }
                } catch (TileException e) {
                    failedIndex.add(failures.add(e));
                    failedAreas.add(owned);
                    gaps.add(owned);
                }
            }
        }
        if (gaps.isEmpty()) {
            return painted;
        }
        List<PixelRect> filled = fillFromCoarser(out, level, lx, ly, gaps, failures);
        for (int i = 0; i < failedAreas.size(); i++) {
            PixelRect area = failedAreas.get(i);
            boolean found = filled.stream().anyMatch(f -> !f.intersect(area).isEmpty());
            failures.fills.set(failedIndex.get(i), found ? Region.Fill.COARSER_LEVEL : Region.Fill.NONE);
            if (found) {
                painted.add(area);
            }
        }
        return painted;
    }

    private BufferedImage decodeTile(int level, int col, int row, int maxWidth, int maxHeight) throws TileException {
        byte[] bytes;
        try {
            bytes = source.readTile(level, col, row);
        } catch (TileException e) {
            throw e;
        } catch (IOException e) {
            throw TileException.transientFailure(source.info().location(), level, col, row, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TileException(source.info().location(), level, col, row, e.getMessage(), e);
        }
        try {
            // refused from its header when it claims more pixels than the level's tiles have
            return decoder.decode(bytes, maxWidth, maxHeight);
        } catch (IOException | RuntimeException e) {
            throw new TileException(source.info().location(), level, col, row, e.getMessage(), e);
        }
    }

    /**
     * Paints the {@code gaps} (level pixels) from the next coarser level, scaled up bilinearly: one
     * patch of the coarser level covering all of them, itself painted fault tolerantly, so the
     * search goes on down to the coarsest level and each coarser tile is read once.
     *
     * @return the gap areas (level pixels) for which the coarser levels had pixels
     */
    private List<PixelRect> fillFromCoarser(BufferedImage out, int level, long lx, long ly, List<PixelRect> gaps,
                                            Failures failures) {
        SlideInfo info = source.info();
        if (level + 1 >= info.levelCount()) {
            return List.of(); // nothing coarser: the gaps stay white
        }
        LevelInfo fine = info.level(level);
        LevelInfo coarse = info.level(level + 1);
        double scale = fine.downsample() / coarse.downsample(); // < 1
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        for (PixelRect g : gaps) {
            x0 = Math.min(x0, g.x());
            y0 = Math.min(y0, g.y());
            x1 = Math.max(x1, g.right());
            y1 = Math.max(y1, g.bottom());
        }
        long cx = (long) Math.floor(x0 * scale);
        long cy = (long) Math.floor(y0 * scale);
        long cx2 = (long) Math.ceil(x1 * scale) + 1;
        long cy2 = (long) Math.ceil(y1 * scale) + 1;
        // one coarse pixel of margin on each side so bilinear edges do not fade to white
        cx = Math.max(0, cx - 1);
        cy = Math.max(0, cy - 1);
        int cw = (int) (cx2 - cx);
        int ch = (int) (cy2 - cy);
        BufferedImage patch = Images.white(cw, ch);
        List<PixelRect> coarsePainted = paint(patch, level + 1, cx, cy, failures);
        // past the coarse level's edge there are no pixels: repeat the edge so bilinear does not fade to white
        extendEdges(patch, (int) Math.min(cw, coarse.width() - cx), (int) Math.min(ch, coarse.height() - cy));
        double inv = 1 / scale;
        List<PixelRect> filled = new ArrayList<>();
        for (PixelRect g : gaps) {
            Graphics2D gr = out.createGraphics();
            try {
                gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                gr.clipRect((int) (g.x() - lx), (int) (g.y() - ly), g.width(), g.height());
                gr.translate(cx * inv - lx, cy * inv - ly);
                gr.scale(inv, inv);
                gr.drawImage(patch, 0, 0, null);
            } finally {
                gr.dispose();
            }
            // the gap in coarse pixels: did any painted coarse area reach it?
            PixelRect inCoarse = new PixelRect((int) Math.floor(g.x() * scale), (int) Math.floor(g.y() * scale),
                    Math.max(1, (int) Math.ceil(g.width() * scale)), Math.max(1, (int) Math.ceil(g.height() * scale)));
            if (coarsePainted.stream().anyMatch(p -> !p.intersect(inCoarse).isEmpty())) {
                filled.add(g);
            }
        }
        return filled;
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
