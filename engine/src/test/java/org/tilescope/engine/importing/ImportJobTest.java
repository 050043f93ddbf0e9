package org.tilescope.engine.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.jobs.JobContext;
import org.tilescope.engine.jobs.Progress;
import org.tilescope.engine.pyramid.PyramidWriter;
import org.tilescope.engine.region.RegionReader;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

class ImportJobTest {
    @TempDir
    Path dir;

    static BufferedImage picture(int w, int h, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 40, 90), w, h, new Color(30, 160, 220)));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.YELLOW);
        for (int x = 0; x < w; x += 97) {
            g.fillRect(x, 0, 20, h);
        }
        if (alpha) {
            g.setComposite(java.awt.AlphaComposite.Clear);
            g.fillRect(0, 0, 50, 50);
        }
        g.dispose();
        return img;
    }

    static JobContext context(AtomicBoolean cancel) {
        Progress p = new Progress();
        return new JobContext() {
            @Override
            public Progress progress() {
                return p;
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }

            @Override
            public void awaitIfPaused() {
            }
        };
    }

    static ImportRequest request(List<Path> src, Path out, PyramidWriter.Format f, int tile, int overlap, boolean force) {
        return new ImportRequest(src, out, new PyramidWriter.Options(f, tile, overlap, 90, 2), force, Duration.ofSeconds(60));
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b, int x0, int y0, int w, int h) {
        long sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x0 + x, y0 + y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
                }
            }
        }
        return sum / (3.0 * w * h);
    }

    @Test
    void pngBecomesADeepZoomPyramidWithVipsGeometryAndTheSamePixels() throws IOException {
        BufferedImage src = picture(3001, 1999, false);
        Path png = dir.resolve("scan.png");
        ImageIO.write(src, "png", png.toFile());
        Path out = dir.resolve("out");
        ImportReport r = ImportJob.runNow(request(List.of(png), out, PyramidWriter.Format.DEEPZOOM, 254, 1, false),
                context(new AtomicBoolean()));
        assertEquals(ImportReport.Outcome.IMPORTED, r.files().getFirst().outcome(), r.toString());
        try (SlideSource s = Slides.open(out.resolve("scan.dzi"))) {
            SlideInfo info = s.info();
            assertEquals(3001, info.width());
            assertEquals(1999, info.height());
            assertEquals(13, info.levelCount(), "down to 1x1: ceil(log2(3001)) + 1");
            assertEquals(1501, info.level(1).width(), "odd sizes halve rounding up, as vips does");
            assertEquals(1000, info.level(1).height());
            BufferedImage region = new RegionReader(s).read(0, 1200, 700, 600, 500).image();
            assertTrue(meanAbsDiff(src, region, 1200, 700, 600, 500) < 3, "level 0 matches the source");
            // level 2 against a box-reduced source: within JPEG's error
            BufferedImage l2 = new RegionReader(s).read(2, 0, 0, 700, 450).image();
            BufferedImage ref = new BufferedImage(700, 450, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = ref.createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src.getSubimage(0, 0, 2800, 1800), 0, 0, 700, 450, null);
            g.dispose();
            assertTrue(meanAbsDiff(ref, l2, 0, 0, 700, 450) < 8, "level 2 is the source reduced");
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("scan.dzi", "scan.import", "scan_files"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary folder left");
        }
    }

    @Test
    void jpegWithAlphaFreePngAndStripTiffBecomeTiledTiffs() throws IOException {
        BufferedImage src = picture(1500, 1100, true);
        Path png = dir.resolve("alpha.png");
        ImageIO.write(src, "png", png.toFile());
        Path tif = dir.resolve("strips.tif");
        BufferedImage rgb = picture(1300, 900, false);
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(tif.toFile())) {
            w.setOutput(o);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("LZW");
            w.write(null, new javax.imageio.IIOImage(rgb, null, null), p);
        }
        w.dispose();
        Path out = dir.resolve("out");
        ImportReport r = ImportJob.runNow(request(List.of(png, tif), out, PyramidWriter.Format.TIFF, 256, 0, false),
                context(new AtomicBoolean()));
        assertEquals(2, r.count(ImportReport.Outcome.IMPORTED), r.toString());
        try (SlideSource s = Slides.open(out.resolve("alpha.tif"))) {
            assertEquals(1500, s.info().width());
            assertEquals(4, s.info().levelCount(), "1500 -> 750 -> 375 -> 188, the first that fits one tile");
            BufferedImage region = new RegionReader(s).read(0, 0, 0, 40, 40).image();
            assertTrue((region.getRGB(10, 10) & 0xFF) > 240, "transparent pixels become white");
        }
        try (SlideSource s = Slides.open(out.resolve("strips.tif"))) {
            BufferedImage region = new RegionReader(s).read(0, 500, 300, 400, 400).image();
            assertTrue(meanAbsDiff(rgb, region, 500, 300, 400, 400) < 3);
        }
    }

    @Test
    void truncatedInputFailsAloneSkipsWhenDoneAndForceRedoes() throws IOException {
        Path good = dir.resolve("a.jpg");
        ImageIO.write(picture(900, 700, false), "jpeg", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("b.jpg");
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Path junk = dir.resolve("c.png");
        Files.writeString(junk, "not an image");
        Path out = dir.resolve("out");
        ImportReport r = ImportJob.runNow(request(List.of(dir), out, PyramidWriter.Format.DEEPZOOM, 254, 1, false),
                context(new AtomicBoolean()));
        assertEquals(1, r.count(ImportReport.Outcome.IMPORTED), r.toString());
        assertEquals(2, r.count(ImportReport.Outcome.FAILED), r.toString());
        assertTrue(r.files().get(2).reason().contains("c.png"), r.files().get(2).reason());
        assertFalse(Files.exists(out.resolve("b.dzi")));
        ImportReport again = ImportJob.runNow(request(List.of(good), out, PyramidWriter.Format.DEEPZOOM, 254, 1, false),
                context(new AtomicBoolean()));
        assertEquals(ImportReport.Outcome.SKIPPED, again.files().getFirst().outcome());
        ImportReport forced = ImportJob.runNow(request(List.of(good), out, PyramidWriter.Format.DEEPZOOM, 254, 1, true),
                context(new AtomicBoolean()));
        assertEquals(ImportReport.Outcome.IMPORTED, forced.files().getFirst().outcome());
    }

    @Test
    void cancelLeavesNoOutput() throws IOException {
        Path png = dir.resolve("big.png");
        ImageIO.write(picture(2600, 2600, false), "png", png.toFile());
        Path out = dir.resolve("out");
        AtomicBoolean cancel = new AtomicBoolean();
        JobContext ctx = context(cancel);
        // cancel once the writer has put tiles on disk: mid-write, not before it starts
        Thread t = Thread.ofPlatform().start(() -> {
            while (!cancel.get()) {
                try (Stream<Path> s = Files.walk(out)) {
                    if (s.anyMatch(p -> p.toString().endsWith(".jpeg"))) {
                        cancel.set(true);
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // the folder is being created or renamed: look again
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        });
        ImportReport r = ImportJob.runNow(request(List.of(png), out, PyramidWriter.Format.DEEPZOOM, 64, 0, false), ctx);
        cancel.set(true);
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new CancellationException();
        }
        assertEquals(ImportReport.Outcome.CANCELLED, r.files().getFirst().outcome(), r.toString());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "nothing left behind");
        }
    }

    @Test
    void theReportAndTheProgressLineCountTheWorkDone() throws IOException {
        Path png = dir.resolve("counted.png");
        ImageIO.write(picture(1300, 900, false), "png", png.toFile());
        Path out = dir.resolve("out");
        JobContext ctx = context(new AtomicBoolean());
        ImportReport r = ImportJob.runNow(request(List.of(png), out, PyramidWriter.Format.DEEPZOOM, 254, 1, false), ctx);
        ImportReport.FileResult f = r.files().getFirst();
        assertEquals(ImportReport.Outcome.IMPORTED, f.outcome(), r.toString());
        List<Path> tiles;
        long tileBytes = 0;
        try (Stream<Path> s = Files.walk(out.resolve("counted_files"))) {
            tiles = s.filter(p -> p.toString().endsWith(".jpeg")).toList();
        }
        for (Path t : tiles) {
            tileBytes += Files.size(t);
        }
        assertEquals(tileBytes + Files.size(out.resolve("counted.dzi")), f.bytesOut(), "bytes out are the pyramid on disk");
        assertEquals(Files.size(png) - f.bytesOut(), f.bytesSaved());
        PyramidWriter.Summary w = f.writing();
        assertEquals(tiles.size(), w.tiles());
        assertEquals(tileBytes, w.bytesOut());
        assertEquals(w.tiles(), w.workers().stream().mapToLong(PyramidWriter.WorkerLoad::tasks).sum());
        assertEquals(2, w.plan().workers(), "the request's 2 workers fit the heap");
        assertTrue(f.cpuSeconds() > 0 && f.cpuSeconds() >= w.writerCpuSeconds(), f.cpuSeconds() + " " + w);
        assertTrue(r.cpuSeconds() >= f.cpuSeconds(), "the batch's CPU includes the file's");
        String detail = ctx.progress().detail();
        assertTrue(detail.contains(String.format(java.util.Locale.ROOT, "tiles %,d/%,d", w.tiles(), w.tiles())), detail);
        assertTrue(detail.contains("rows 900/900") && detail.contains("queue 0/") && detail.contains("CPU "), detail);
        assertTrue(detail.contains(String.format(java.util.Locale.ROOT, "%,d @", w.workers().getFirst().tasks())), detail);
        assertEquals(0, ctx.progress().activeWorkers(), "no encoder busy once done");

        ImportReport again = ImportJob.runNow(request(List.of(png), out, PyramidWriter.Format.DEEPZOOM, 254, 1, false),
                context(new AtomicBoolean()));
        assertEquals(ImportReport.Outcome.SKIPPED, again.files().getFirst().outcome());
        assertEquals(null, again.files().getFirst().writing(), "nothing written, no writer figures");
    }
}
