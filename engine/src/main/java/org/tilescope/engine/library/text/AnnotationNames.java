package org.tilescope.engine.library.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names and classes of a GeoJSON annotation file ({@code properties.name} and
 * {@code properties.classification.name} of each feature, as QuPath writes them), read as a
 * stream: geometry is skipped, so a file of a million vertices costs no memory.
 */
public final class AnnotationNames {
    /** Distinct names kept per file. */
    static final int MAX_NAMES = 10_000;

    private AnnotationNames() {
    }

    /** Distinct names and classes, in order of appearance, and what went wrong. */
    public record Names(List<String> names, List<String> warnings) {
    }

    public static Names read(Path file) {
        Set<String> names = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(1 << 20).maxNestingDepth(200).build())
                .build();
        try (JsonParser p = f.createParser(file.toFile())) {
            walk(p, names, 0);
        } catch (IOException | RuntimeException e) {
            warnings.add(file + ": annotations not fully read (" + e.getMessage() + ")");
        }
        if (names.size() >= MAX_NAMES) {
            warnings.add(file + ": more than " + MAX_NAMES + " distinct annotation names, kept the first");
        }
        return new Names(List.copyOf(names), warnings);
    }

    /** Finds every "properties" object at any depth (features may nest in collections). */
    private static void walk(JsonParser p, Set<String> out, int depth) throws IOException {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (t == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("geometry".equals(field) || "coordinates".equals(field)) {
                    p.skipChildren();
                } else if ("properties".equals(field) && v == JsonToken.START_OBJECT) {
                    properties(p, out);
                }
            }
            if (out.size() >= MAX_NAMES) {
                return;
            }
        }
    }

    /** Reads one properties object; the parser ends on its END_OBJECT. */
    private static void properties(JsonParser p, Set<String> out) throws IOException {
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if ("name".equals(field) && v == JsonToken.VALUE_STRING) {
                add(out, p.getText());
            } else if ("classification".equals(field) && v == JsonToken.START_OBJECT) {
                for (JsonToken c = p.nextToken(); c != null && c != JsonToken.END_OBJECT; c = p.nextToken()) {
                    String cf = p.currentName();
                    JsonToken cv = p.nextToken();
                    if ("name".equals(cf) && cv == JsonToken.VALUE_STRING) {
                        add(out, p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void add(Set<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty() && out.size() < MAX_NAMES) {
            out.add(t.length() > 500 ? t.substring(0, 500) : t);
        }
    }
}
