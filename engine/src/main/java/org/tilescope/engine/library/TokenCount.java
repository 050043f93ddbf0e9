package org.tilescope.engine.library;

import java.util.Locale;

/**
 * A slide's token count: the instant estimate (UTF-8 bytes / 4) until the exact o200k_base
 * count is known.
 *
 * @param estimate bytes/4 of the slide's text
 * @param exact    the exact BPE count, or -1 until it is counted
 */
public record TokenCount(long estimate, long exact) {

    public boolean isExact() {
        return exact >= 0;
    }

    /** The exact count when known, else the estimate. */
    public long value() {
        return isExact() ? exact : estimate;
    }

    /** "1,234" when exact, "≈ 1.2k" while estimated. */
    public String label() {
        if (isExact()) {
            return String.format(Locale.ROOT, "%,d", exact);
        }
        return "≈ " + compact(estimate);
    }

    static String compact(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1000.0).replace(".0k", "k");
        }
        return String.format(Locale.ROOT, "%.1fM", n / 1e6).replace(".0M", "M");
    }
}
