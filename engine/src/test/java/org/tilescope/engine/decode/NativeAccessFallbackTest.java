package org.tilescope.engine.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.testing.ChildJvm;

/**
 * A JVM started without --enable-native-access must still decode, through ImageIO, and say why
 * in its log line. Runs a child JVM because this one was started with native access on.
 */
class NativeAccessFallbackTest {

    /** Entry point of the child JVM: prints the chosen decoder's name and decodes one tile. */
    public static void main(String[] args) throws IOException {
        TileDecoder d = TileDecoder.standard();
        d.decode(TestJpegs.jpeg(TestJpegs.picture(16, 16, 1), TestJpegs.Layout.YCC_420));
        System.out.println("decoder=" + d.name());
    }

    @Test
    void withoutNativeAccessImageIoIsUsed() throws Exception {
        ChildJvm.Result r = ChildJvm.run(NativeAccessFallbackTest.class);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("decoder=imageio"), r.output());
        assertTrue(r.output().contains("JPEG decoder: imageio (native access not enabled"), r.output());
        assertTrue(!r.output().contains("restricted method"), "no JVM native-access warning: " + r.output());
    }

    /** Forcing turbo makes it try the restricted calls; a JVM that denies them must not crash. */
    @Test
    void forcedTurboWithNativeAccessDeniedFallsBack() throws Exception {
        ChildJvm.Result r = ChildJvm.run(NativeAccessFallbackTest.class, "-Dtilescope.decoder=turbo", "--illegal-native-access=deny");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("decoder=imageio"), r.output());
        assertTrue(r.output().contains("native access refused"), r.output());
    }
}
