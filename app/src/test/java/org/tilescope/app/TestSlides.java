package org.tilescope.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Tiny slides written in code, so the app's tests need nothing outside the repository. */
public final class TestSlides {
    private TestSlides() {
    }

    /** A 600x400 pattern whose every pixel is known: r = x, g = y, b = (x ^ y). */
    public static int pixel(int x, int y) {
        return ((x & 0xFF) << 16) | ((y & 0xFF) << 8) | ((x ^ y) & 0xFF);
    }

    /** Writes a Deep Zoom slide with PNG tiles (lossless, so pixels can be compared exactly). */
    public static Path writeDzi(Path dir, String name, int w, int h, int ts, int overlap) throws IOException {
        int maxLevel = 0;
        while ((1 << maxLevel) < Math.max(w, h)) {
            maxLevel++;
        }
        Path files = dir.resolve(name + "_files");
        for (int k = maxLevel; k >= 0; k--) {
            int scale = 1 << (maxLevel - k);
            int lw = Math.ceilDiv(w, scale);
            int lh = Math.ceilDiv(h, scale);
            Path levelDir = Files.createDirectories(files.resolve(Integer.toString(k)));
            for (int row = 0; row * ts < lh; row++) {
                for (int col = 0; col * ts < lw; col++) {
                    int x0 = Math.max(0, col * ts - overlap);
                    int y0 = Math.max(0, row * ts - overlap);
                    int x1 = Math.min(lw, (col + 1) * ts + overlap);
                    int y1 = Math.min(lh, (row + 1) * ts + overlap);
                    BufferedImage t = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            // coarser levels sample the pattern: exact enough to tell levels apart
                            t.setRGB(x - x0, y - y0, pixel(x * scale, y * scale));
                        }
                    }
                    ImageIO.write(t, "png", levelDir.resolve(col + "_" + row + ".png").toFile());
                }
            }
        }
        Path dzi = dir.resolve(name + ".dzi");
        Files.writeString(dzi, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="png" Overlap="%d" TileSize="%d">
                  <Size Width="%d" Height="%d"/>
                </Image>
                """.formatted(overlap, ts, w, h));
        return dzi;
    }

    /**
     * Writes the {@link #pixel} pattern as a tiled TIFF with a single level, as many scanners do:
     * uncompressed RGB tiles (edge tiles padded with black to the full tile size), one IFD.
     */
    public static Path writeSingleLevelTiff(Path file, int w, int h, int ts) throws IOException {
        int cols = Math.ceilDiv(w, ts);
        int rows = Math.ceilDiv(h, ts);
        int tiles = cols * rows;
        int tileBytes = ts * ts * 3;
        int entries = 10;
        long ifd = 8L + (long) tiles * tileBytes;
        long offsetsAt = ifd + 2 + entries * 12L + 4;
        long countsAt = offsetsAt + 4L * tiles;
        long bpsAt = countsAt + 4L * tiles;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (bpsAt + 6)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) ifd);
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < cols; col++) {
                for (int y = 0; y < ts; y++) {
                    for (int x = 0; x < ts; x++) {
                        int gx = col * ts + x;
                        int gy = row * ts + y;
                        int p = gx < w && gy < h ? pixel(gx, gy) : 0;
                        b.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
                    }
                }
            }
        }
        b.putShort((short) entries);
        int[][] tags = {{256, 4, 1, w}, {257, 4, 1, h}, {258, 3, 3, (int) bpsAt}, {259, 3, 1, 1}, {262, 3, 1, 2},
            {277, 3, 1, 3}, {322, 3, 1, ts}, {323, 3, 1, ts}, {324, 4, tiles, (int) offsetsAt}, {325, 4, tiles, (int) countsAt}};
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(t[2]);
            if (t[1] == 3 && t[2] == 1) {
                b.putShort((short) t[3]).putShort((short) 0);
            } else {
                b.putInt(t[3]);
            }
        }
        b.putInt(0);
        for (int i = 0; i < tiles; i++) {
            b.putInt(8 + i * tileBytes);
        }
        for (int i = 0; i < tiles; i++) {
            b.putInt(tileBytes);
        }
        b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        Files.write(file, b.array());
        return file;
    }
}
