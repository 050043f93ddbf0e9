package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code view --layers} draws the viewer's layers headless; without it the pixels are the slide's alone. */
class ViewLayersTest {
    @TempDir
    Path dir;

    @Test
    void scaleBarAndOverviewAreDrawnOnlyWhenAsked() throws IOException {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 1200, 900, 256, 1);
        Path plain = dir.resolve("plain.png");
        Path layered = dir.resolve("layered.png");
        var r1 = CommandLineTest.run("view", dzi.toString(), "--center", "600,450", "--zoom", "0.5", "--size", "600x450",
                "--out", plain.toString());
        assertEquals(0, r1.code(), r1.err());
        var r2 = CommandLineTest.run("view", dzi.toString(), "--center", "600,450", "--zoom", "0.5", "--size", "600x450",
                "--layers", "scale-bar,overview", "--out", layered.toString());
        assertEquals(0, r2.code(), r2.err());
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(layered.toFile());
        // the middle is the slide in both; the bottom-left (scale bar) and top-right (overview) differ
        assertEquals(a.getRGB(300, 225), b.getRGB(300, 225));
        assertNotEquals(a.getRGB(20, 450 - 28 + 7), b.getRGB(20, 450 - 28 + 7), "scale bar");
        assertNotEquals(a.getRGB(600 - 14, 14), b.getRGB(600 - 14, 14), "overview frame");
    }

    @Test
    void unknownLayerIsRefusedByName() throws IOException {
        Path dzi = CommandLineTest.writeDzi(dir, "s", 300, 200, 256, 0);
        var r = CommandLineTest.run("view", dzi.toString(), "--center", "150,100", "--size", "100x100",
                "--layers", "compass", "--out", dir.resolve("x.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("compass"), r.err());
    }
}
