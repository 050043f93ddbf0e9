package org.tilescope.benchmarks.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the memory soak: the process at a moment.
 *
 * @param seconds           since the soak began
 * @param heapAfterGcMb     heap in use right after the latest collection (any collection, as the JVM ran
 *                          them), or NaN before the first
 * @param heapAfterGcLowMb  the lowest heap after a collection since the previous row (closest to the live set)
 * @param liveAfterFullGcMb heap after a full collection forced at this row, or NaN when none was forced
 * @param heapUsedMb        heap in use now, garbage included
 * @param heapCommittedMb   heap the JVM has reserved from the system now (the bulk of RSS)
 * @param l1Mb              decoded tiles held (L1)
 * @param l2Mb              encoded tile bytes held (L2)
 * @param budgetMb          L1 + L2 capacity as the pipeline has them configured now
 * @param threads           live threads
 * @param openFiles         open file descriptors (/proc/self/fd)
 * @param rssMb             resident set size (/proc/self/status VmRSS)
 * @param collections       collections since the soak began
 * @param switches          slide switches done
 */
record SoakSample(double seconds, double heapAfterGcMb, double heapAfterGcLowMb, double liveAfterFullGcMb,
                  double heapUsedMb, double heapCommittedMb, double l1Mb, double l2Mb, double budgetMb, int threads, int openFiles,
                  double rssMb, long collections, int switches) {

    static final String HEADER = "seconds,heap_after_gc_mb,heap_after_gc_low_mb,live_after_full_gc_mb,heap_used_mb,"
            + "heap_committed_mb,l1_mb,l2_mb,budget_mb,threads,open_files,rss_mb,collections,switches";

    String csv() {
        return String.format(Locale.ROOT, "%.1f,%s,%s,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%.1f,%d,%d", seconds,
                optional(heapAfterGcMb), optional(heapAfterGcLowMb), optional(liveAfterFullGcMb),
                heapUsedMb, heapCommittedMb, l1Mb, l2Mb, budgetMb, threads, openFiles, rssMb, collections, switches);
    }

    /** A figure that may be missing (NaN): empty in the CSV. */
    private static String optional(double mb) {
        return Double.isNaN(mb) ? "" : String.format(Locale.ROOT, "%.1f", mb);
    }

    private static double optional(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    static SoakSample parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 14) {
            throw new IllegalArgumentException("soak row with " + f.length + " fields, expected 14: " + line);
        }
        return new SoakSample(Double.parseDouble(f[0]), optional(f[1]), optional(f[2]), optional(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                Double.parseDouble(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]), Double.parseDouble(f[11]),
                Long.parseLong(f[12]), Integer.parseInt(f[13]));
    }

    /** The rows of a soak CSV (header first), in order. */
    static List<SoakSample> parseAll(List<String> lines) {
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new IllegalArgumentException("not a soak CSV: the first line is not " + HEADER);
        }
        List<SoakSample> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rows.add(parse(l));
            }
        }
        return rows;
    }
}
