package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which decoder the engine picks, and the one line that says why. */
class DecoderSelectionTest {
    private static final TurboJpegDecoder.Availability MISSING =
            new TurboJpegDecoder.Availability(Optional.empty(), "libturbojpeg.so.0 not found", true);
    private static final TurboJpegDecoder.Availability NO_ACCESS = TurboJpegDecoder.Availability.unavailable(
            "native access not enabled; run java with --enable-native-access=ALL-UNNAMED");

    @Test
    void missingLibraryFallsBackToImageIoAndSaysHowToGetIt() {
        DecoderSelection.Choice c = DecoderSelection.choose("", MISSING);
        assertSame(TileDecoder.imageIo(), c.decoder());
        assertEquals(System.Logger.Level.INFO, c.level());
        assertTrue(c.message().startsWith("JPEG decoder: imageio (libturbojpeg.so.0 not found; install libturbojpeg0"),
                c.message());
    }

    @Test
    void nativeAccessOffFallsBackWithoutTheInstallHint() {
        DecoderSelection.Choice c = DecoderSelection.choose("auto", NO_ACCESS);
        assertSame(TileDecoder.imageIo(), c.decoder());
        assertTrue(c.message().contains("--enable-native-access"), c.message());
        assertTrue(!c.message().contains("install"), c.message());
    }

    @Test
    void forcingTurboWithoutTheLibraryWarnsAndUsesImageIo() {
        DecoderSelection.Choice c = DecoderSelection.choose("turbo", MISSING);
        assertSame(TileDecoder.imageIo(), c.decoder());
        assertEquals(System.Logger.Level.WARNING, c.level());
        assertTrue(c.message().contains("not found"), c.message());
    }

    @Test
    void forcingImageIoWinsEvenWhenTurboWorks() {
        TurboJpegDecoder.Availability real = TurboJpegDecoder.load(false);
        DecoderSelection.Choice c = DecoderSelection.choose("imageio", real);
        assertSame(TileDecoder.imageIo(), c.decoder());
        assertEquals("JPEG decoder: imageio (forced by -Dtilescope.decoder=imageio)", c.message());
    }

    @Test
    void unknownValueIsNamedAndIgnored() {
        DecoderSelection.Choice c = DecoderSelection.choose("fast", MISSING);
        assertSame(TileDecoder.imageIo(), c.decoder());
        assertTrue(c.message().contains("unknown -Dtilescope.decoder=fast ignored"), c.message());
    }

    /** Tests run with --enable-native-access, so where the library is installed it must be picked. */
    @Test
    void standardIsTurboWhenTheLibraryWorks() {
        TurboJpegDecoder.Availability real = TurboJpegDecoder.load(false);
        if (real.decoder().isEmpty()) {
            System.err.println("libjpeg-turbo unavailable here (" + real.description() + "): standard() is imageio");
            assertSame(TileDecoder.imageIo(), TileDecoder.standard());
            return;
        }
        assertEquals("libjpeg-turbo", TileDecoder.standard().name());
        DecoderSelection.Choice c = DecoderSelection.choose("", real);
        assertTrue(c.message().matches("JPEG decoder: libjpeg-turbo [23]\\.x \\(.*turbojpeg.*\\)"), c.message());
    }
}
