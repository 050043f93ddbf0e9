package org.tilescope.engine.slide.deepzoom;

import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SafeXml;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The {@code vips-properties.xml} libvips' dzsave writes beside the tiles: where a Deep Zoom
 * slide keeps its microns per pixel and objective power. A missing or unreadable file means
 * "unknown", never a failed slide.
 */
record VipsProperties(Map<String, String> values) {
    private static final System.Logger LOG = System.getLogger(VipsProperties.class.getName());
    /** Microns per pixel above this are not microscopy (a 72 dpi photo says 353 µm). */
    static final double MAX_MPP = 50;
    /** For a resolution that came from a dpi default, only microscope-like values are believed. */
    static final double MAX_MPP_FROM_RESOLUTION = 10;

    static VipsProperties read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new VipsProperties(new HashMap<>());
        }
        try {
            return parse(file.toAbsolutePath().toUri(), Limits.readDescriptor(file));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: ignored ({1})", file, e.getMessage());
            return new VipsProperties(new HashMap<>());
        }
    }

    /** The properties in a fetched file; a file that does not parse gives none. */
    static VipsProperties parse(URI location, byte[] xml) {
        Map<String, String> values = new HashMap<>();
        try {
            Element root = SafeXml.parse(location, xml).getDocumentElement();
            NodeList props = root.getElementsByTagNameNS("*", "property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                NodeList names = p.getElementsByTagNameNS("*", "name");
                NodeList vals = p.getElementsByTagNameNS("*", "value");
                if (names.getLength() == 1 && vals.getLength() == 1) {
                    String name = names.item(0).getTextContent().trim();
                    if (name.length() < 200) {
                        values.put(name, vals.item(0).getTextContent().trim());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: ignored ({1})", location, e.getMessage());
        }
        return new VipsProperties(values);
    }

    OptionalDouble mpp() {
        OptionalDouble direct = number("openslide.mpp-x");
        if (direct.isEmpty()) {
            direct = number("aperio.MPP");
        }
        if (direct.isPresent()) {
            return direct.getAsDouble() > 0 && direct.getAsDouble() <= MAX_MPP ? direct : OptionalDouble.empty();
        }
        // vips keeps xres in pixels per millimetre, whatever unit the source used
        OptionalDouble xres = number("xres");
        if (xres.isPresent() && xres.getAsDouble() > 0) {
            double mpp = 1000 / xres.getAsDouble();
            if (mpp <= MAX_MPP_FROM_RESOLUTION) {
                return OptionalDouble.of(mpp);
            }
        }
        return OptionalDouble.empty();
    }

    OptionalDouble magnification() {
        OptionalDouble m = number("openslide.objective-power");
        if (m.isEmpty()) {
            m = number("aperio.AppMag");
        }
        return m.isPresent() && m.getAsDouble() > 0 && m.getAsDouble() <= 1000 ? m : OptionalDouble.empty();
    }

    private OptionalDouble number(String key) {
        String v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(v.toLowerCase(Locale.ROOT));
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
