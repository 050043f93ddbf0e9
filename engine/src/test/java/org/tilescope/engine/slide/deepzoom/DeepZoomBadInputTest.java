package org.tilescope.engine.slide.deepzoom;

import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;
import org.tilescope.engine.slide.TileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Failures;
import org.tilescope.engine.testing.Fixtures;

/** Damaged Deep Zoom slides: every one a clear SlideException naming the file, none a hang. */
class DeepZoomBadInputTest {
    @TempDir
    Path dir;

    private Fixtures.DeepZoom slide() throws IOException {
        return Fixtures.deepZoom(dir, "s", Fixtures.drawSource(300, 200), 64, 1, "jpg");
    }

    @Test
    void truncatedDescriptor() throws IOException {
        Fixtures.DeepZoom dz = slide();
        byte[] xml = Files.readAllBytes(dz.dzi());
        Files.write(dz.dzi(), Arrays.copyOf(xml, xml.length / 2));
        Failures.openFails(dz.dzi(), dz.dzi(), "XML");
    }

    @Test
    void emptyDescriptor() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.write(dz.dzi(), new byte[0]);
        Failures.openFails(dz.dzi(), dz.dzi(), "empty");
    }

    @Test
    void externalEntityIsRefusedAndNeverRead() throws IOException {
        Fixtures.DeepZoom dz = slide();
        String secret = "TOP-SECRET-" + Long.toHexString(new Random().nextLong());
        Path secretFile = Files.writeString(dir.resolve("secret.txt"), secret);
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE Image [ <!ENTITY xxe SYSTEM "%s"> ]>
                <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" Overlap="1" TileSize="64">
                  <Size Height="200" Width="300"/>
                  <Note>&xxe;</Note>
                </Image>
                """.formatted(secretFile.toUri());
        Files.writeString(dz.dzi(), xml);
        SlideException e = Failures.openFails(dz.dzi(), dz.dzi(), "DOCTYPE");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "the secret leaked: " + t.getMessage());
        }
    }

    @Test
    void externalEntityInAnAttributeIsRefused() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Path secretFile = Files.writeString(dir.resolve("secret.txt"), "999");
        String xml = """
                <?xml version="1.0"?>
                <!DOCTYPE Image [ <!ENTITY w SYSTEM "%s"> ]>
                <Image Format="jpg" Overlap="1" TileSize="64"><Size Height="200" Width="&w;"/></Image>
                """.formatted(secretFile.toUri());
        Files.writeString(dz.dzi(), xml);
        SlideException e = Failures.openFails(dz.dzi(), dz.dzi(), "DOCTYPE");
        // the problem text, not the whole message: a temp folder's random name may contain "999"
        assertFalse(e.problem().contains("999"), e.getMessage());
    }

    @Test
    void billionLaughs() throws IOException {
        Fixtures.DeepZoom dz = slide();
        StringBuilder dtd = new StringBuilder("<!ENTITY l0 \"lol\">\n");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"");
            dtd.append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Image [\n" + dtd + "]>\n"
                + "<Image Format=\"jpg\" Overlap=\"1\" TileSize=\"64\"><Size Height=\"200\" Width=\"300\"/>"
                + "<Note>&l9;</Note></Image>\n";
        Files.writeString(dz.dzi(), xml);
        Failures.openFails(dz.dzi(), dz.dzi(), "DOCTYPE");
    }

    @Test
    void missingFilesFolder() throws IOException {
        Path dzi = Files.writeString(dir.resolve("lonely.dzi"), Fixtures.dziXml("jpg", 64, 1, 300, 200));
        Failures.openFails(dzi, dzi, "missing", "lonely_files");
    }

    @Test
    void missingFullResolutionFolder() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Path top = dz.filesDir().resolve(Integer.toString(dz.maxFolder()));
        try (var files = Files.list(top)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(top);
        Failures.openFails(dz.dzi(), dz.dzi(), "missing", "s_files/" + dz.maxFolder());
    }

    @Test
    void absurdWidth() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 64, 1, 4_000_000_000L, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "4000000000");
    }

    @Test
    void zeroWidth() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 64, 1, 0, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "size");
    }

    @Test
    void tileSizeZero() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 0, 1, 300, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "tile size");
    }

    @Test
    void tileSizeBelowSixteen() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 1, 0, 300, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "tile size 1x1 is below the minimum of 16 px");
    }

    @Test
    void negativeOverlap() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 64, -1, 300, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "overlap");
    }

    @Test
    void nonNumericTileSize() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("jpg", 64, 1, 300, 200).replace("TileSize=\"64\"", "TileSize=\"big\""));
        Failures.openFails(dz.dzi(), dz.dzi(), "TileSize");
    }

    @Test
    void unsupportedTileFormat() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), Fixtures.dziXml("webp", 64, 1, 300, 200));
        Failures.openFails(dz.dzi(), dz.dzi(), "webp");
    }

    @Test
    void missingSizeElement() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), "<Image Format=\"jpg\" Overlap=\"1\" TileSize=\"64\"></Image>");
        Failures.openFails(dz.dzi(), dz.dzi(), "Size");
    }

    @Test
    void wrongRootElement() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.writeString(dz.dzi(), "<?xml version=\"1.0\"?>\n<Collection MaxLevel=\"8\"><Size Width=\"300\" Height=\"200\"/></Collection>");
        Failures.openFails(dz.dzi(), dz.dzi(), "Collection");
    }

    @Test
    void missingTileIsATileExceptionNamingTheTile() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.delete(dz.tile(0, 2, 1));
        try (SlideSource s = Slides.open(dz.dzi())) {
            TileException e = assertThrows(TileException.class, () -> s.readTile(0, 2, 1));
            Failures.assertMessage(e, dz.dzi(), "missing", "s_files/" + dz.maxFolder() + "/2_1.jpg");
            assertEquals(0, e.level());
            assertEquals(2, e.col());
            assertEquals(1, e.row());
            s.readTile(0, 1, 1); // neighbours still read
        }
    }

    @Test
    void zeroByteTileIsATileException() throws IOException {
        Fixtures.DeepZoom dz = slide();
        Files.write(dz.tile(1, 0, 0), new byte[0]);
        try (SlideSource s = Slides.open(dz.dzi())) {
            TileException e = assertTimeoutPreemptively(Failures.HANG_GUARD,
                    () -> assertThrows(TileException.class, () -> s.readTile(1, 0, 0)));
            Failures.assertMessage(e, dz.dzi(), "empty", "0_0.jpg");
            assertEquals(1, e.level());
        }
    }
}
