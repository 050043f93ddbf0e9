package org.tilescope.engine.cache;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How many bytes each tier may hold. Defaults are shares of the max heap: L1 (decoded, 4 bytes a
 * pixel) gets 20%, enough for several full-screen viewports plus their prefetch ring; L2
 * (encoded, ~15x smaller per tile) gets 30%, because it is what makes the next slide instant and
 * what the bulk preloader fills. The rest is left for the UI, regions and the library.
 * Overrides: system properties {@code tilescope.l1.mb} / {@code tilescope.l2.mb}, or environment
 * {@code TILESCOPE_L1_MB} / {@code TILESCOPE_L2_MB} (properties win).
 */
public record CacheSizes(long l1Bytes, long l2Bytes) {
    static final double L1_SHARE = 0.20;
    static final double L2_SHARE = 0.30;

    public CacheSizes {
        if (l1Bytes < 0 || l2Bytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
    }

    public static CacheSizes fromEnvironment() {
        return resolve(System.getProperties(), System.getenv(), Runtime.getRuntime().maxMemory());
    }

    static CacheSizes resolve(Properties props, Map<String, String> env, long maxHeap) {
        long l1 = megabytes(props.getProperty("tilescope.l1.mb"), env.get("TILESCOPE_L1_MB"), "L1");
        long l2 = megabytes(props.getProperty("tilescope.l2.mb"), env.get("TILESCOPE_L2_MB"), "L2");
        return new CacheSizes(l1 >= 0 ? l1 : (long) (maxHeap * L1_SHARE), l2 >= 0 ? l2 : (long) (maxHeap * L2_SHARE));
    }

    private static long megabytes(String prop, String env, String tier) {
        String v = prop != null ? prop : env;
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            long mb = Long.parseLong(v.trim().toLowerCase(Locale.ROOT).replace("mb", ""));
            if (mb < 0 || mb > (1L << 30)) {
                throw new NumberFormatException();
            }
            return mb << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(tier + " cache size '" + v + "' is not a number of megabytes");
        }
    }
}
