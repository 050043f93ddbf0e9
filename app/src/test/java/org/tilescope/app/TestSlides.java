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

}
