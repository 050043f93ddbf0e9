package org.tilescope.engine.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;

/** The format is told by content, not by the file name. */
class SlidesDetectTest {
    @TempDir
    Path dir;

    @Test
    void deepZoomDescriptorNamedXmlStillOpens() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "slide", Fixtures.drawSource(300, 200), 64, 1, "png");
        Path xml = dir.resolve("slide.xml");
        Files.move(dz.dzi(), xml);
        assertEquals("deepzoom", Slides.providerFor(xml).name());
        try (SlideSource s = Slides.open(xml)) {
            assertEquals("deepzoom", s.info().format());
            assertEquals(300, s.info().width());
            assertEquals(200, s.info().height());
            s.readTile(0, 0, 0);
        }
    }

    @Test
    void descriptorWithByteOrderMarkAndLeadingBlanks() throws IOException {
        Fixtures.DeepZoom dz = Fixtures.deepZoom(dir, "slide", Fixtures.drawSource(30, 20), 64, 1, "png");
        byte[] body = ("\n  " + Files.readString(dz.dzi())).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(dz.dzi(), withBom);
        // a BOM and blanks before <?xml are not well-formed XML, but detection must still say Deep Zoom
        assertEquals("deepzoom", Slides.providerFor(dz.dzi()).name());
    }

    @Test
    void tiffMagicNamedDziIsTiffNotXml() throws IOException {
        Path fake = dir.resolve("looks-like.dzi");
        byte[] tiff = new byte[256];
        tiff[0] = 'I';
        tiff[1] = 'I';
        tiff[2] = 42;
        tiff[3] = 0;
        Files.write(fake, tiff);
        assertEquals("tiff", Slides.providerFor(fake).name());
        IOException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                () -> assertThrows(IOException.class, () -> Slides.open(fake).close()));
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        assertFalse(msg.contains("xml"), "treated as XML: " + e.getMessage());
        assertFalse(msg.contains("deep zoom"), "treated as Deep Zoom: " + e.getMessage());
    }

    @Test
    void bigEndianAndBigTiffMagicAreTiff() throws IOException {
        Path mm = Files.write(dir.resolve("a.bin"), new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
        Path big = Files.write(dir.resolve("b.bin"), new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0});
        assertEquals("tiff", Slides.providerFor(mm).name());
        assertEquals("tiff", Slides.providerFor(big).name());
    }

    @Test
    void randomBytesAreNotASlide() throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        junk[0] = 0x17; // neither '<', blank, BOM nor a TIFF byte order
        Path f = Files.write(dir.resolve("junk.bin"), junk);
        Failures.openFails(f, f, "not a slide");
    }

    @Test
    void randomBytesNamedDziSayNoXml() throws IOException {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 0x17;
        Path f = Files.write(dir.resolve("junk.dzi"), junk);
        Failures.openFails(f, f, "Deep Zoom");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.write(dir.resolve("nothing.tif"), new byte[0]);
        Failures.openFails(f, f, "empty file");
    }

    @Test
    void missingPath() {
        Path f = dir.resolve("not-there.dzi");
        Failures.openFails(f, f, "no such file");
    }

    @Test
    void plainFolderIsNotASlide() throws IOException {
        Path f = Files.createDirectories(dir.resolve("holiday-photos"));
        Failures.openFails(f, f, "folder");
    }

    @Test
    void fastPathFolderWithoutMetadata() throws IOException {
        Path f = Files.createDirectories(dir.resolve("x.fastpath"));
        Failures.openFails(f, f, "metadata.json");
    }

    @Test
    void fastPathFolderIsDetectedByItsMetadata() throws IOException {
        Fixtures.FastPath fp = Fixtures.fastPath(dir.resolve("plain-name"), Fixtures.drawSource(100, 80), 32, 3,
                Fixtures.FastPathLayout.PACK_V2);
        assertEquals("fastpath", Slides.providerFor(fp.dir()).name());
        assertTrue(Slides.looksLikeSlide(fp.dir()));
    }
}
