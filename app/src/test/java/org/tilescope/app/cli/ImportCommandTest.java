package org.tilescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void importsAFolderAndReportsAsJsonThenSkipsWhatIsDone() throws IOException {
        BufferedImage img = new BufferedImage(1000, 700, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(180, 60, 120));
        g.fillRect(0, 0, 1000, 700);
        g.dispose();
        Path src = Files.createDirectories(dir.resolve("scans"));
        ImageIO.write(img, "jpeg", src.resolve("one.jpg").toFile());
        Files.writeString(src.resolve("two.png"), "broken");
        Path out = dir.resolve("out");
        var r = CommandLineTest.run("import", src.toString(), "--out", out.toString(), "--json");
        assertEquals(1, r.code(), "a failed file makes the exit code 1: " + r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("files").asInt());
        assertEquals(1, j.get("imported").asInt());
        assertEquals(1, j.get("failed").asInt());
        assertTrue(j.get("results").get(1).get("reason").asText().contains("two.png"));
        assertEquals(0, j.get("results").get(1).get("bytesSaved").asLong(), "no pyramid, nothing saved");
        assertTrue(j.get("results").get(1).get("bytesIn").asLong() > 0);
        var info = CommandLineTest.run("info", out.resolve("one.dzi").toString());
        assertEquals(0, info.code(), info.err());
        var again = CommandLineTest.run("import", src.resolve("one.jpg").toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("1 skipped"), again.out());
    }

    @Test
    void tiffNeedsTilesInSixteens() {
        var r = CommandLineTest.run("import", dir.toString(), "--out", dir.resolve("o").toString(), "--format", "tiff",
                "--tile", "254");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("multiple of 16"), r.err());
    }

    @Test
    void theJsonSummaryHasTheWritersFiguresAndTheyAddUp() throws IOException {
        BufferedImage img = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.ORANGE, 900, 600, Color.BLUE));
        g.fillRect(0, 0, 900, 600);
        g.dispose();
        Path src = dir.resolve("grad.jpg");
        ImageIO.write(img, "jpeg", src.toFile());
        Path out = dir.resolve("out");
        var r = CommandLineTest.run("import", src.toString(), "--out", out.toString(), "--workers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("cpuSeconds").asDouble() > 0, r.out());
        JsonNode f = j.get("results").get(0);
        assertEquals(Files.size(src), f.get("bytesIn").asLong());
        assertEquals(f.get("bytesIn").asLong() - f.get("bytesOut").asLong(), f.get("bytesSaved").asLong());
        JsonNode w = f.get("writing");
        assertEquals(1, w.get("pool").get("workers").asInt(), "--workers 1 is honoured");
        assertEquals("--workers", w.get("pool").get("limitedBy").asText());
        assertEquals(1, w.get("workers").size());
        assertEquals(w.get("tiles").asLong(), w.get("workers").get(0).get("tasks").asLong(), "one worker did every tile");
        assertEquals(w.get("tilesTotal").asLong(), w.get("tiles").asLong());
        assertTrue(w.get("tileBytes").asLong() < f.get("bytesOut").asLong(), "the pyramid is its tiles and its .dzi");
        assertTrue(w.get("stageSeconds").get("encode").asDouble() > 0, w.toString());
        assertTrue(w.get("pool").get("peakQueue").asInt() <= w.get("pool").get("queueCapacity").asInt(), w.toString());
    }
}
