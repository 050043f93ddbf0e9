package org.tilescope.benchmarks.soak;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The heap by class, as {@code jcmd PID GC.class_histogram} prints it (same diagnostic command, run
 * in-process so it lands at a known moment of the script). Taking one runs a full collection.
 *
 * @param text    the command's output
 * @param classes bytes and instances per class name
 */
record HeapHistogram(String text, Map<String, Entry> classes) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    /** One class's share of the heap. */
    record Entry(long instances, long bytes) {
    }

    /** One class's change between two histograms. */
    record Growth(String className, long instances, long bytes) {
    }

    static HeapHistogram take() {
        try {
            ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return parse(text);
        } catch (JMException e) {
            throw new IllegalStateException("GC.class_histogram failed: " + e.getMessage(), e);
        }
    }

    static HeapHistogram parse(String text) {
        Map<String, Entry> classes = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                // the same name twice (two class loaders): one entry for both
                classes.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("GC.class_histogram printed no rows: " + text.lines().findFirst().orElse(""));
        }
        return new HeapHistogram(text, classes);
    }

    long totalBytes() {
        return classes.values().stream().mapToLong(Entry::bytes).sum();
    }

    /** The classes that grew most in bytes from {@code before} to this one, largest first. */
    List<Growth> growthSince(HeapHistogram before, int limit) {
        List<Growth> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : classes.entrySet()) {
            Entry old = before.classes().getOrDefault(e.getKey(), new Entry(0, 0));
            out.add(new Growth(e.getKey(), e.getValue().instances() - old.instances(), e.getValue().bytes() - old.bytes()));
        }
        out.sort(Comparator.comparingLong(Growth::bytes).reversed());
        return out.subList(0, Math.min(limit, out.size()));
    }

    static String format(List<Growth> growth) {
        StringBuilder sb = new StringBuilder();
        for (Growth g : growth) {
            sb.append(String.format(Locale.ROOT, "  %+12d bytes %+9d instances  %s%n", g.bytes(), g.instances(),
                    g.className()));
        }
        return sb.toString();
    }
}
