package org.tilescope.app.help;

import java.util.Locale;
import org.tilescope.app.AppVersion;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.library.LibraryFolders;

/**
 * What {@code tilescope doctor} prints, for the About box and for the details an error dialog
 * copies: version, Java, system, decoder and its library, heap and cache sizes, folders.
 */
public final class SystemReport {
    private SystemReport() {
    }

    /** One "Key: value" per line. */
    public static String text() {
        CacheSizes sizes = CacheSizes.fromEnvironment();
        String decoder = TileDecoder.standard().name();
        String library = decoder.equals(TileDecoder.imageIo().name()) ? "" : TileDecoder.turboLibraryFile()
                .map(f -> " (" + f + ")").orElse("");
        StringBuilder b = new StringBuilder();
        line(b, "Tilescope", AppVersion.current());
        line(b, "Java", Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        line(b, "System", System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        line(b, "JPEG decoder", decoder + library);
        line(b, "Max heap", mb(Runtime.getRuntime().maxMemory()));
        line(b, "L1 cache", mb(sizes.l1Bytes()) + " decoded tiles (TILESCOPE_L1_MB)");
        line(b, "L2 cache", mb(sizes.l2Bytes()) + " encoded tiles (TILESCOPE_L2_MB)");
        LibraryFolders folders = LibraryFolders.fromEnvironment();
        line(b, "Settings", folders.config().toString());
        line(b, "Data", folders.data().toString());
        line(b, "Cache", folders.cache().toString());
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-13s %s%n", key + ":", value));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }
}
