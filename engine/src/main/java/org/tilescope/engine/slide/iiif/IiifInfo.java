package org.tilescope.engine.slide.iiif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tilescope.engine.slide.Limits;
import org.tilescope.engine.slide.SlideException;

/**
 * What an IIIF Image API {@code info.json} (version 2 or 3) says, and the image requests that
 * follow from it. Levels come from the tiles' {@code scaleFactors}; a level 1 or 2 service that
 * lists no tiles is read in 512 px tiles at powers of two; a level 0 service with only
 * {@code sizes} becomes one level per size, each a single whole-image tile.
 *
 * <p>Requests follow the spec's tile algorithm and canonical forms, so static level 0 servers
 * (files named by the canonical URL) answer them: region {@code full} when a tile covers the
 * whole image, else {@code x,y,w,h}; edge tiles sized by ceiling division; size {@code max} (3) or
 * {@code full} (2) when the tile comes at full size, else {@code w,h} (3) or {@code w,} (2);
 * nothing ever asks the server to upscale.
 *
 * @param version  2 or 3
 * @param base     the image's base URI, without a trailing slash
 * @param width    full width
 * @param height   full height
 * @param level    compliance level 0, 1 or 2
 * @param tiles    the tile sets listed, in order
 * @param sizes    the sizes listed, smallest first
 * @param maxWidth largest width the server returns, 0 when unbounded
 * @param maxHeight largest height, 0 when unbounded
 * @param maxArea  largest pixel count, 0 when unbounded
 */
public record IiifInfo(int version, String base, int width, int height, int level, List<TileSet> tiles,
                       List<Size> sizes, long maxWidth, long maxHeight, long maxArea) {
    /** Tile edge used when a service that can cut any region lists no tiles. */
    public static final int DEFAULT_TILE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEVEL = Pattern.compile("level([012])");

    public IiifInfo {
        tiles = List.copyOf(tiles);
        sizes = List.copyOf(sizes);
    }

    /** One entry of {@code tiles}: a tile size and the scale factors it is offered at. */
    public record TileSet(int width, int height, List<Integer> scaleFactors) {
        public TileSet {
            scaleFactors = List.copyOf(scaleFactors);
        }
    }

    /** One entry of {@code sizes}. */
    public record Size(int width, int height) {
    }

    /**
     * One level as read from the service.
     *
     * @param scale      the IIIF scale factor (level-0 pixels per level pixel); 0 for a level made
     *                   from a listed size, fetched whole
     * @param width      level width
     * @param height     level height
     * @param tileWidth  tile width in level pixels
     * @param tileHeight tile height in level pixels
     */
    public record Level(int scale, int width, int height, int tileWidth, int tileHeight) {
        public boolean wholeImage() {
            return scale == 0;
        }
    }

    /**
     * Parses an info.json.
     *
     * @param location where it was fetched from; its URL without {@code /info.json} is the base
     *                 when it ends so (the address that answered, even when a proxy put another
     *                 host in {@code id}), else the document's {@code id}
     * @throws SlideException naming the location and what is wrong
     */
    public static IiifInfo parse(URI location, byte[] json) throws SlideException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SlideException(location, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new SlideException(location, "cannot parse JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new SlideException(location, "not an IIIF image information document (not a JSON object)");
        }
        int version = version(location, n);
        String base = base(location, n, version);
        long w = positiveLong(location, n, "width");
        long h = positiveLong(location, n, "height");
        Limits.checkDimensions(location, w, h);
        int level = complianceLevel(n, version);
        List<TileSet> tiles = new ArrayList<>();
        for (JsonNode t : n.path("tiles")) {
            long tw = positiveLong(location, t, "width");
            long th = t.has("height") ? positiveLong(location, t, "height") : tw;
            Limits.checkTileSize(location, tw, th);
            List<Integer> factors = new ArrayList<>();
            for (JsonNode f : t.path("scaleFactors")) {
                if (!f.canConvertToInt() || f.asInt() <= 0 || !f.isIntegralNumber()) {
                    throw new SlideException(location, "tiles: scale factor " + f + " is not a positive whole number");
                }
                factors.add(f.asInt());
            }
            if (factors.isEmpty()) {
                throw new SlideException(location, "tiles: an entry without scaleFactors");
            }
            tiles.add(new TileSet((int) tw, (int) th, factors));
        }
        List<Size> sizes = new ArrayList<>();
        for (JsonNode s : n.path("sizes")) {
            long sw = positiveLong(location, s, "width");
            long sh = positiveLong(location, s, "height");
            if (sw <= w && sh <= h) { // a listed size above the full size would be an upscale
                sizes.add(new Size((int) sw, (int) sh));
            }
        }
        sizes.sort(Comparator.comparingInt(Size::width).thenComparingInt(Size::height));
        JsonNode limits = version == 3 ? n : profileObject(n);
        return new IiifInfo(version, base, (int) w, (int) h, level, tiles, sizes, nonNegative(limits, "maxWidth"),
                nonNegative(limits, "maxHeight"), nonNegative(limits, "maxArea"));
    }

    private static int version(URI location, JsonNode n) throws SlideException {
        List<String> contexts = new ArrayList<>();
        JsonNode c = n.path("@context");
        if (c.isArray()) {
            c.forEach(x -> contexts.add(x.asText()));
        } else if (c.isTextual()) {
            contexts.add(c.asText());
        }
        for (String s : contexts) {
            if (s.contains("iiif.io/api/image/3")) {
                return 3;
            }
            if (s.contains("iiif.io/api/image/2")) {
                return 2;
            }
            if (s.contains("image-api/1") || s.contains("iiif.io/api/image/1")) {
                throw new SlideException(location, "IIIF Image API 1.x is not supported (versions 2 and 3 are)");
            }
        }
        if ("ImageService3".equals(n.path("type").asText())) {
            return 3;
        }
        if (n.has("@id")) {
            return 2;
        }
        if (n.has("id")) {
            return 3;
        }
        throw new SlideException(location, "not an IIIF image information document (no @context, id or @id)");
    }

    private static String base(URI location, JsonNode n, int version) throws SlideException {
        String url = location.toString();
        if (url.endsWith("/info.json")) {
            return url.substring(0, url.length() - "/info.json".length());
        }
        String id = n.path(version == 3 ? "id" : "@id").asText("");
        if (id.isEmpty()) {
            id = n.path(version == 3 ? "@id" : "id").asText("");
        }
        if (id.isEmpty()) {
            throw new SlideException(location, "no image id, and the URL does not end in /info.json");
        }
        while (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        return id;
    }

    private static int complianceLevel(JsonNode n, int version) {
        JsonNode p = n.path("profile");
        List<String> names = new ArrayList<>();
        if (p.isTextual()) {
            names.add(p.asText());
        } else if (p.isArray()) {
            p.forEach(x -> {
                if (x.isTextual()) {
                    names.add(x.asText());
                }
            });
        }
        for (String s : names) {
            Matcher m = LEVEL.matcher(s.toLowerCase(Locale.ROOT));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0; // nothing said: assume only what every server does
    }

    /** Version 2 puts maxWidth and the like in an object inside {@code profile}. */
    private static JsonNode profileObject(JsonNode n) {
        for (JsonNode x : n.path("profile")) {
            if (x.isObject()) {
                return x;
            }
        }
        return JSON.createObjectNode();
    }

    private static long positiveLong(URI location, JsonNode n, String field) throws SlideException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new SlideException(location, "missing " + field);
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
            throw new SlideException(location, field + " " + v + " is not a positive whole number");
        }
        return v.asLong();
    }

    private static long nonNegative(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() && v.asLong() > 0 ? v.asLong() : 0;
    }

    /**
     * The pyramid, full resolution first.
     *
     * @throws SlideException when the service offers nothing that can be read as tiles
     */
    public List<Level> levels(URI location) throws SlideException {
        List<Level> out = new ArrayList<>();
        if (!tiles.isEmpty()) {
            TreeMap<Integer, TileSet> byScale = new TreeMap<>();
            for (TileSet t : tiles) {
                for (int s : t.scaleFactors()) {
                    byScale.putIfAbsent(s, t);
                }
            }
            if (!byScale.containsKey(1)) {
                if (level == 0) {
                    throw new SlideException(location, "tiles offer no full-resolution scale factor 1 "
                            + "(a level 0 service cannot be asked for any other)");
                }
                byScale.put(1, byScale.firstEntry().getValue());
            }
            for (var e : byScale.entrySet()) {
                int s = e.getKey();
                out.add(new Level(s, (int) Math.ceilDiv(width, s), (int) Math.ceilDiv(height, s),
                        e.getValue().width(), e.getValue().height()));
                if (out.size() == Limits.MAX_LEVELS) {
                    break;
                }
            }
            return out;
        }
        if (level >= 1) {
            for (int s = 1; out.size() < Limits.MAX_LEVELS; s *= 2) {
                int lw = (int) Math.ceilDiv(width, s);
                int lh = (int) Math.ceilDiv(height, s);
                out.add(new Level(s, lw, lh, DEFAULT_TILE, DEFAULT_TILE));
                if (Math.max(lw, lh) <= DEFAULT_TILE) {
                    break;
                }
            }
            return out;
        }
        for (Size s : sizes.reversed()) {
            boolean fits = (maxWidth == 0 || s.width() <= maxWidth) && (maxHeight == 0 || s.height() <= maxHeight)
                    && (maxArea == 0 || (long) s.width() * s.height() <= maxArea);
            boolean distinct = out.isEmpty() || out.getLast().width() > s.width();
            if (fits && distinct) {
                Limits.checkTileSize(location, s.width(), s.height());
                out.add(new Level(0, s.width(), s.height(), s.width(), s.height()));
            }
        }
        if (out.isEmpty()) {
            throw new SlideException(location, "a level 0 service that lists neither tiles nor sizes it can serve");
        }
        return out;
    }

    /** The image request for one tile of a level. */
    public URI tileUri(Level l, int col, int row) {
        if (l.wholeImage()) {
            return sizeUri(l.width(), l.height());
        }
        long s = l.scale();
        long xr = (long) col * l.tileWidth() * s;
        long yr = (long) row * l.tileHeight() * s;
        long wr = Math.min((long) l.tileWidth() * s, width - xr);
        long hr = Math.min((long) l.tileHeight() * s, height - yr);
        long ws = Math.ceilDiv(wr, s);
        long hs = Math.ceilDiv(hr, s);
        String region = xr == 0 && yr == 0 && wr == width && hr == height ? "full" : xr + "," + yr + "," + wr + "," + hr;
        return request(region, size(ws, hs, ws == wr && hs == hr));
    }

    /** The whole image at {@code w x h} (a listed size): the thumbnail and whole-image levels. */
    public URI sizeUri(int w, int h) {
        return request("full", size(w, h, w == width && h == height));
    }

    private String size(long w, long h, boolean full) {
        if (full) {
            return version == 3 ? "max" : "full";
        }
        return version == 3 ? w + "," + h : w + ",";
    }

    private URI request(String region, String size) {
        return URI.create(base + "/" + region + "/" + size + "/0/default.jpg");
    }
}
