package org.tilescope.engine.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared test corpus ({@code ../shared/corpus}) and an independent reference reader of Deep
 * Zoom tiles: ImageIO on each tile file, stitched pixel by pixel with the overlap cropped.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The corpus folder; skips the calling test (with a line on stderr) when it is absent. */
    public static Path root() {
        String prop = System.getProperty("tilescope.corpus");
        Path p = prop != null && !prop.isBlank() && !prop.contains("${")
                ? Path.of(prop) : Path.of("..", "..", "shared", "corpus");
        p = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("library"))) {
            System.err.println("SKIPPED corpus tests: " + p + " not found");
            Assumptions.assumeTrue(false, "corpus not found at " + p);
        }
        return p;
    }

    /** Width, height, tile size and overlap of a .dzi, read with a regex (not the engine's parser). */
    public record Dzi(int width, int height, int tileSize, int overlap, String format) {
        public int maxFolder() {
            int m = 0;
            while ((1L << m) < Math.max(width, height)) {
                m++;
            }
            return m;
        }

        public int levelWidth(int engineLevel) {
            return (int) Math.ceilDiv(width, 1L << engineLevel);
        }

        public int levelHeight(int engineLevel) {
            return (int) Math.ceilDiv(height, 1L << engineLevel);
        }
    }

    public static Dzi readDzi(Path dzi) throws IOException {
        String xml = Files.readString(dzi);
        return new Dzi(intAttr(xml, "Width"), intAttr(xml, "Height"), intAttr(xml, "TileSize"),
                intAttr(xml, "Overlap"), strAttr(xml, "Format"));
    }

    private static int intAttr(String xml, String name) {
        return Integer.parseInt(strAttr(xml, name));
    }

    private static String strAttr(String xml, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(xml);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + name + " in " + xml);
        }
        return m.group(1);
    }

    /** Reference pixels of Deep Zoom tiles, decoded straight from the files with ImageIO. */
    public static final class Reference {
        private final Path filesDir;
        private final Dzi dzi;
        private final Map<String, BufferedImage> tiles = new HashMap<>();

        public Reference(Path dziFile) throws IOException {
            this(dziFile, filesDirOf(dziFile));
        }

        /** Tiles from {@code filesDir}, geometry from {@code dziFile}. */
        public Reference(Path dziFile, Path filesDir) throws IOException {
            this.dzi = readDzi(dziFile);
            this.filesDir = filesDir;
        }

        private static Path filesDirOf(Path dziFile) {
            String base = dziFile.getFileName().toString();
            return dziFile.resolveSibling(base.substring(0, base.lastIndexOf('.')) + "_files");
        }

        public Dzi dzi() {
            return dzi;
        }

        /** The decoded tile file, or null when {@code col, row} is the tile to skip. */
        private BufferedImage tile(int engineLevel, int col, int row) throws IOException {
            String key = engineLevel + "/" + col + "_" + row;
            BufferedImage t = tiles.get(key);
            if (t == null) {
                Path f = filesDir.resolve(Integer.toString(dzi.maxFolder() - engineLevel))
                        .resolve(col + "_" + row + "." + dzi.format());
                t = ImageIO.read(f.toFile());
                assertNotNull(t, "ImageIO cannot read " + f);
                tiles.put(key, t);
            }
            return t;
        }

        /**
         * Level pixels [x, x+w) x [y, y+h), white outside the level. Pixels owned by the tile
         * {@code skipCol, skipRow} (pass -1 for none) are left white and that tile is never read.
         */
        public BufferedImage region(int engineLevel, int x, int y, int w, int h, int skipCol, int skipRow)
                throws IOException {
            int lw = dzi.levelWidth(engineLevel);
            int lh = dzi.levelHeight(engineLevel);
            int ts = dzi.tileSize();
            int ov = dzi.overlap();
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int px = x + i;
                    int py = y + j;
                    int rgb = 0xFFFFFF;
                    if (px >= 0 && py >= 0 && px < lw && py < lh) {
                        int col = px / ts;
                        int row = py / ts;
                        if (!(col == skipCol && row == skipRow)) {
                            BufferedImage t = tile(engineLevel, col, row);
                            int ox = col * ts - (col > 0 ? ov : 0);
                            int oy = row * ts - (row > 0 ? ov : 0);
                            rgb = rgbOf(t, px - ox, py - oy);
                        }
                    }
                    out.setRGB(i, j, rgb);
                }
            }
            return out;
        }

        private static int rgbOf(BufferedImage t, int x, int y) {
            Raster r = t.getRaster();
            if (r.getNumBands() < 3) {
                int g = r.getSample(x, y, 0);
                return (g << 16) | (g << 8) | g;
            }
            return (r.getSample(x, y, 0) << 16) | (r.getSample(x, y, 1) << 8) | r.getSample(x, y, 2);
        }
    }
}
