package org.tilescope.engine.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a GeoJSON feature carried that Tilescope does not interpret, kept so a round trip gives it
 * back: QuPath's {@code nucleusGeometry} and {@code metadata}, another tool's properties, a
 * geometry's {@code plane}. Each map keeps its members in file order.
 *
 * @param feature    members of the Feature object besides type, id, geometry and properties
 * @param geometry   members of the geometry object besides type, coordinates and isEllipse
 * @param properties members of properties besides the ones {@link Annotation} models
 */
public record Foreign(Map<String, JsonNode> feature, Map<String, JsonNode> geometry, Map<String, JsonNode> properties) {
    public static final Foreign NONE = new Foreign(Map.of(), Map.of(), Map.of());

    public Foreign {
        feature = frozen(feature);
        geometry = frozen(geometry);
        properties = frozen(properties);
    }

    private static Map<String, JsonNode> frozen(Map<String, JsonNode> m) {
        return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    public boolean isEmpty() {
        return feature.isEmpty() && geometry.isEmpty() && properties.isEmpty();
    }
}
