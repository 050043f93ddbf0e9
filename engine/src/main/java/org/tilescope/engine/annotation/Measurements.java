package org.tilescope.engine.annotation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named numbers attached to an annotation (QuPath's measurement list: "Area µm^2", "Num
 * Detections"...). Kept as two arrays, not a map per object: a file of 100,000 cells with 40
 * measurements each would otherwise hold four million boxed entries. Values may be NaN (QuPath
 * writes NaN for a missing value).
 */
public final class Measurements {
    public static final Measurements NONE = new Measurements(new String[0], new double[0]);

    private final String[] names;
    private final double[] values;

    private Measurements(String[] names, double[] values) {
        this.names = names;
        this.values = values;
    }

    /** Names and values in order; a repeated name keeps its last value, in its first place. */
    public static Measurements of(List<String> names, double[] values) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
        }
        if (names.isEmpty()) {
            return NONE;
        }
        Map<String, Double> dedup = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            dedup.put(names.get(i), values[i]);
        }
        if (dedup.size() == values.length) {
            return new Measurements(names.toArray(String[]::new), values.clone());
        }
        return of(dedup);
    }

    public static Measurements of(Map<String, Double> map) {
        if (map.isEmpty()) {
            return NONE;
        }
        String[] n = new String[map.size()];
        double[] v = new double[map.size()];
        int i = 0;
        for (var e : map.entrySet()) {
            n[i] = e.getKey();
            v[i++] = e.getValue() == null ? Double.NaN : e.getValue();
        }
        return new Measurements(n, v);
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int i) {
        return names[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** The value of a name, or NaN when there is none. */
    public double get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        // NaN equals NaN here (Arrays.equals compares bits): a round trip keeps a missing value missing
        return o instanceof Measurements m && Arrays.equals(names, m.names) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
