package org.tilescope.engine.decode;

import java.util.Locale;
import java.util.Optional;

/**
 * Picks the engine's JPEG decoder once per JVM and says which one, and why, in one log line:
 * libjpeg-turbo when it loads and passes its self-test, ImageIO otherwise. The system property
 * {@value #PROPERTY} ({@code imageio} or {@code turbo}) overrides the choice.
 */
final class DecoderSelection {
    static final String PROPERTY = "tilescope.decoder";

    private static final System.Logger LOG = System.getLogger(TileDecoder.class.getPackageName());

    /** The decoder chosen, and the log line that explains it. */
    record Choice(TileDecoder decoder, System.Logger.Level level, String message) {
    }

    private DecoderSelection() {
    }

    /** Loaded on first use, so a JVM that never decodes never touches native code. */
    private static final class Turbo {
        static final TurboJpegDecoder.Availability AVAILABILITY =
                TurboJpegDecoder.load("turbo".equals(requested()));
    }

    private static final class Standard {
        static final TileDecoder DECODER;

        static {
            Choice choice = choose(requested(), Turbo.AVAILABILITY);
            LOG.log(choice.level(), choice.message());
            DECODER = choice.decoder();
        }
    }

    static TileDecoder standard() {
        return Standard.DECODER;
    }

    static Optional<TileDecoder> turbo() {
        return Turbo.AVAILABILITY.decoder().map(TileDecoder.class::cast);
    }

    static Optional<String> turboLibraryFile() {
        return Turbo.AVAILABILITY.decoder().map(TurboJpegDecoder::libraryFile);
    }

    /** What became of loading libjpeg-turbo, for tests and diagnostics. */
    static String turboStatus() {
        return Turbo.AVAILABILITY.description();
    }

    private static String requested() {
        return System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    }

    static Choice choose(String requested, TurboJpegDecoder.Availability turbo) {
        TileDecoder imageIo = ImageIoTileDecoder.INSTANCE;
        String why = turbo.description();
        return switch (requested) {
            case "imageio" -> new Choice(imageIo, System.Logger.Level.INFO,
                    "JPEG decoder: imageio (forced by -D" + PROPERTY + "=imageio)");
            case "turbo" -> turbo.decoder()
                    .map(d -> new Choice(d, System.Logger.Level.INFO,
                            "JPEG decoder: " + why + " (forced by -D" + PROPERTY + "=turbo)"))
                    .orElseGet(() -> new Choice(imageIo, System.Logger.Level.WARNING,
                            "JPEG decoder: imageio (-D" + PROPERTY + "=turbo asked for libjpeg-turbo, but " + why + ")"));
            default -> {
                String note = requested.isEmpty() || requested.equals("auto") ? ""
                        : "unknown -D" + PROPERTY + "=" + requested + " ignored; use imageio or turbo";
                if (turbo.decoder().isPresent()) {
                    yield new Choice(turbo.decoder().get(), System.Logger.Level.INFO,
                            "JPEG decoder: " + why + (note.isEmpty() ? "" : " (" + note + ")"));
                }
                String hint = turbo.libraryMissing() ? "; install libturbojpeg0 for ~4x faster decoding" : "";
                yield new Choice(imageIo, System.Logger.Level.INFO,
                        "JPEG decoder: imageio (" + why + hint + (note.isEmpty() ? "" : "; " + note) + ")");
            }
        };
    }
}
