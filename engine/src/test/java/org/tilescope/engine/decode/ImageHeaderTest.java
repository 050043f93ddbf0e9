package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tilescope.engine.testing.Fixtures;

/** The declared size of JPEG, PNG and TIFF images, read without decoding. */
class ImageHeaderTest {
    static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png", "tiff"})
    void readsTheDeclaredSize(String format) throws IOException {
        byte[] b = write(Fixtures.drawSource(70, 30), format);
        ImageHeader h = ImageHeader.read(b);
        assertEquals(70, h.width());
        assertEquals(30, h.height());
        assertEquals(ImageCodec.sniff(b), h.codec());
    }

    @Test
    void aPatchedFrameHeaderIsWhatItSays() throws IOException {
        byte[] b = Fixtures.withDeclaredSize(write(Fixtures.drawSource(16, 16), "jpg"), 16000, 12000);
        ImageHeader h = ImageHeader.read(b);
        assertEquals(16000, h.width());
        assertEquals(12000, h.height());
        IIOException e = assertThrows(IIOException.class, () -> ImageHeader.requireWithin(b, 262, 262));
        assertEquals("JPEG declares 16000x12000 pixels, more than a tile of this level may have (262x262)", e.getMessage());
    }

    @Test
    void progressiveAndTiffTileJpegsToo() throws IOException {
        // a JPEG as TiffSource makes it: tables spliced in before the frame header, an Adobe marker first
        byte[] plain = write(Fixtures.drawSource(40, 24), "jpg");
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] withAdobe = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, withAdobe, 0, 2);
        System.arraycopy(adobe, 0, withAdobe, 2, adobe.length);
        System.arraycopy(plain, 2, withAdobe, 2 + adobe.length, plain.length - 2);
        assertEquals(40, ImageHeader.read(withAdobe).width());
    }

    @Test
    void malformedHeadersAreRefused() throws IOException {
        byte[] jpeg = write(Fixtures.drawSource(16, 16), "jpg");
        byte[] png = write(Fixtures.drawSource(16, 16), "png");
        assertThrows(IIOException.class, () -> ImageHeader.read(new byte[0]));
        assertThrows(IIOException.class, () -> ImageHeader.read(new byte[] {1, 2, 3, 4}));
        assertThrows(IIOException.class, () -> ImageHeader.read(Arrays.copyOf(jpeg, 20)), "cut before the frame header");
        assertThrows(IIOException.class, () -> ImageHeader.read(Arrays.copyOf(png, 20)), "cut inside IHDR");
        byte[] zero = Fixtures.withDeclaredSize(jpeg, 16, 0);
        assertThrows(IIOException.class, () -> ImageHeader.read(zero), "a height to come in a DNL marker");
        byte[] tiff = write(Fixtures.drawSource(16, 16), "tiff");
        byte[] farIfd = tiff.clone();
        farIfd[4] = (byte) 0xFF;
        farIfd[5] = (byte) 0xFF;
        farIfd[6] = (byte) 0xFF;
        farIfd[7] = (byte) 0x7F;
        assertThrows(IIOException.class, () -> ImageHeader.read(farIfd));
    }
}
