package org.tilescope.engine.slide.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tilescope.engine.slide.SlideException;

/**
 * URL rules of the IIIF Image API tile algorithm, on the image information examples of the
 * specs (a 6000 x 4000 image), versions 2.1 and 3.0.
 */
class IiifInfoTest {
    static final URI V2_URL = URI.create("http://www.example.org/image-service/abcd1234/info.json");
    static final URI V3_URL = URI.create("https://example.org/image-service/abcd1234/info.json");

    /** The Image API 2.1 example (section 5): tiles 512 at 1..16, three sizes. */
    static final String V2_EXAMPLE = """
            {
              "@context" : "http://iiif.io/api/image/2/context.json",
              "@id" : "http://www.example.org/image-service/abcd1234",
              "protocol" : "http://iiif.io/api/image",
              "width" : 6000,
              "height" : 4000,
              "sizes" : [
                {"width" : 150, "height" : 100},
                {"width" : 600, "height" : 400},
                {"width" : 3000, "height": 2000}
              ],
              "tiles": [
                {"width" : 512, "scaleFactors" : [1,2,4,8,16]}
              ],
              "profile" : [ "http://iiif.io/api/image/2/level2.json" ]
            }
            """;

    /** The Image API 3.0 example (section 5): two tile sets, limits, sizes. */
    static final String V3_EXAMPLE = """
            {
              "@context": "http://iiif.io/api/image/3/context.json",
              "id": "https://example.org/image-service/abcd1234",
              "type": "ImageService3",
              "protocol": "http://iiif.io/api/image",
              "profile": "level2",
              "width": 6000,
              "height": 4000,
              "maxHeight": 2000,
              "maxWidth": 3000,
              "maxArea": 4000000,
              "sizes": [
                { "width": 150, "height": 100 },
                { "width": 600, "height": 400 },
                { "width": 3000, "height": 2000 }
              ],
              "tiles": [
                { "width": 512, "scaleFactors": [ 1, 2, 4 ] },
                { "width": 1024, "height": 2048, "scaleFactors": [ 8, 16 ] }
              ]
            }
            """;

    static IiifInfo parse(URI url, String json) throws SlideException {
        return IiifInfo.parse(url, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void version2ExampleLevelsComeFromScaleFactors() throws SlideException {
        IiifInfo info = parse(V2_URL, V2_EXAMPLE);
        assertEquals(2, info.version());
        assertEquals(2, info.level());
        assertEquals("http://www.example.org/image-service/abcd1234", info.base());
        List<IiifInfo.Level> levels = info.levels(V2_URL);
        assertEquals(List.of(6000, 3000, 1500, 750, 375), levels.stream().map(IiifInfo.Level::width).toList());
        assertEquals(List.of(4000, 2000, 1000, 500, 250), levels.stream().map(IiifInfo.Level::height).toList());
        assertEquals(List.of(1, 2, 4, 8, 16), levels.stream().map(IiifInfo.Level::scale).toList());
        assertEquals(3, info.sizes().size());
        assertEquals(150, info.sizes().getFirst().width());
    }

    @Test
    void version2TileUrls() throws SlideException {
        IiifInfo info = parse(V2_URL, V2_EXAMPLE);
        List<IiifInfo.Level> l = info.levels(V2_URL);
        String b = "http://www.example.org/image-service/abcd1234/";
        // full resolution: every tile at its full size is "full" in version 2
        assertEquals(b + "0,0,512,512/full/0/default.jpg", info.tileUri(l.get(0), 0, 0).toString());
        assertEquals(b + "512,1024,512,512/full/0/default.jpg", info.tileUri(l.get(0), 1, 2).toString());
        // the last column and row are cut by the image's edge
        assertEquals(b + "5632,3584,368,416/full/0/default.jpg", info.tileUri(l.get(0), 11, 7).toString());
        // scale factor 4: a 2048 px region returned at 512 px, "w," in version 2
        assertEquals(b + "2048,2048,2048,1952/512,/0/default.jpg", info.tileUri(l.get(2), 1, 1).toString());
        // scale factor 8, last column: 1904 px of the image at ceil(1904 / 8) = 238 px
        assertEquals(b + "4096,0,1904,4000/238,/0/default.jpg", info.tileUri(l.get(3), 1, 0).toString());
        // scale factor 16: one tile covers the whole image, region "full"
        assertEquals(b + "full/375,/0/default.jpg", info.tileUri(l.get(4), 0, 0).toString());
    }

    @Test
    void version3ExampleUsesBothTileSets() throws SlideException {
        IiifInfo info = parse(V3_URL, V3_EXAMPLE);
        assertEquals(3, info.version());
        assertEquals(2, info.level());
        assertEquals(3000, info.maxWidth());
        assertEquals(2000, info.maxHeight());
        assertEquals(4000000, info.maxArea());
        List<IiifInfo.Level> l = info.levels(V3_URL);
        assertEquals(List.of(1, 2, 4, 8, 16), l.stream().map(IiifInfo.Level::scale).toList());
        assertEquals(512, l.get(2).tileWidth());
        assertEquals(1024, l.get(3).tileWidth());
        assertEquals(2048, l.get(3).tileHeight());
    }

    @Test
    void version3TileUrls() throws SlideException {
        IiifInfo info = parse(V3_URL, V3_EXAMPLE);
        List<IiifInfo.Level> l = info.levels(V3_URL);
        String b = "https://example.org/image-service/abcd1234/";
        // full size of the region is "max" in version 3
        assertEquals(b + "0,0,512,512/max/0/default.jpg", info.tileUri(l.get(0), 0, 0).toString());
        assertEquals(b + "5632,3584,368,416/max/0/default.jpg", info.tileUri(l.get(0), 11, 7).toString());
        // scale factor 2, a whole tile: "w,h"
        assertEquals(b + "1024,0,1024,1024/512,512/0/default.jpg", info.tileUri(l.get(1), 1, 0).toString());
        // scale factor 4, the last row: 4000 - 2048 = 1952 px of the image, 488 px returned
        assertEquals(b + "2048,2048,2048,1952/512,488/0/default.jpg", info.tileUri(l.get(2), 1, 1).toString());
        // scale factor 8 with 1024 x 2048 tiles: one tile is the whole image
        assertEquals(b + "full/750,500/0/default.jpg", info.tileUri(l.get(3), 0, 0).toString());
        assertEquals(b + "full/375,250/0/default.jpg", info.tileUri(l.get(4), 0, 0).toString());
    }

    @Test
    void edgeTilesRoundUpAndNeverUpscale() throws SlideException {
        // 1001 x 999 at scale 4 is 251 x 250 (ceil); the last tile holds 1001 - 768 = 233 px -> 59 px
        IiifInfo info = parse(URI.create("http://h/i/info.json"), """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://h/i", "type": "ImageService3",
                 "profile": "level1", "width": 1001, "height": 999,
                 "tiles": [{"width": 64, "scaleFactors": [1, 4]}]}
                """);
        List<IiifInfo.Level> l = info.levels(URI.create("http://h/i/info.json"));
        assertEquals(251, l.get(1).width());
        assertEquals(250, l.get(1).height());
        assertEquals("http://h/i/768,768,233,231/59,58/0/default.jpg", info.tileUri(l.get(1), 3, 3).toString());
        for (IiifInfo.Level level : l) {
            int cols = Math.ceilDiv(level.width(), level.tileWidth());
            int rows = Math.ceilDiv(level.height(), level.tileHeight());
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    String[] parts = info.tileUri(level, c, r).getPath().split("/");
                    String region = parts[parts.length - 4];
                    String size = parts[parts.length - 3];
                    if (size.equals("max")) {
                        continue;
                    }
                    String[] wh = size.split(",");
                    String[] xywh = region.equals("full") ? new String[] {"0", "0", "1001", "999"} : region.split(",");
                    assertTrue(Integer.parseInt(wh[0]) <= Integer.parseInt(xywh[2])
                            && Integer.parseInt(wh[1]) <= Integer.parseInt(xywh[3]), "upscale in " + region + "/" + size);
                }
            }
        }
    }

    @Test
    void aServiceWithoutTilesButLevel1IsCutIn512PixelTiles() throws SlideException {
        URI u = URI.create("http://h/img/info.json");
        IiifInfo info = parse(u, """
                {"@context": "http://iiif.io/api/image/2/context.json", "@id": "http://h/img",
                 "profile": ["http://iiif.io/api/image/2/level1.json"], "width": 6000, "height": 4000}
                """);
        List<IiifInfo.Level> l = info.levels(u);
        assertEquals(List.of(1, 2, 4, 8, 16), l.stream().map(IiifInfo.Level::scale).toList());
        assertTrue(l.stream().allMatch(x -> x.tileWidth() == 512 && x.tileHeight() == 512));
        assertEquals("http://h/img/4096,0,1904,4000/238,/0/default.jpg", info.tileUri(l.get(3), 1, 0).toString());
    }

    @Test
    void aLevel0ServiceWithOnlySizesHasOneWholeImageLevelPerSize() throws SlideException {
        URI u = URI.create("http://h/static/info.json");
        IiifInfo info = parse(u, """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://h/static", "type": "ImageService3",
                 "profile": "level0", "width": 6000, "height": 4000,
                 "sizes": [{"width": 600, "height": 400}, {"width": 6000, "height": 4000}, {"width": 150, "height": 100}]}
                """);
        List<IiifInfo.Level> l = info.levels(u);
        assertEquals(List.of(6000, 600, 150), l.stream().map(IiifInfo.Level::width).toList());
        assertTrue(l.stream().allMatch(IiifInfo.Level::wholeImage));
        assertEquals(600, l.get(1).tileWidth());
        assertEquals(400, l.get(1).tileHeight());
        assertEquals("http://h/static/full/max/0/default.jpg", info.tileUri(l.get(0), 0, 0).toString());
        assertEquals("http://h/static/full/600,400/0/default.jpg", info.tileUri(l.get(1), 0, 0).toString());
        assertEquals("http://h/static/full/150,100/0/default.jpg", info.sizeUri(150, 100).toString());
    }

    @Test
    void sizesAreUsedAsVersion2Wants() throws SlideException {
        IiifInfo info = parse(V2_URL, V2_EXAMPLE);
        assertEquals("http://www.example.org/image-service/abcd1234/full/600,/0/default.jpg",
                info.sizeUri(600, 400).toString());
        assertEquals("http://www.example.org/image-service/abcd1234/full/full/0/default.jpg",
                info.sizeUri(6000, 4000).toString());
    }

    @Test
    void aLevel0ServiceOnlyGetsTheTilesItLists() {
        URI u = URI.create("http://h/x/info.json");
        SlideException e = assertThrows(SlideException.class, () -> parse(u, """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://h/x", "profile": "level0",
                 "width": 100, "height": 100, "tiles": [{"width": 64, "scaleFactors": [2, 4]}]}
                """).levels(u));
        assertTrue(e.getMessage().startsWith("http://h/x/info.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("scale factor 1"), e.getMessage());
        SlideException none = assertThrows(SlideException.class, () -> parse(u, """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://h/x", "profile": "level0",
                 "width": 100, "height": 100}
                """).levels(u));
        assertTrue(none.getMessage().contains("neither tiles nor sizes"), none.getMessage());
    }

    @Test
    void theBaseIsTheUrlThatAnsweredElseTheId() throws SlideException {
        // a proxy put its inner host in @id: the address that answered is used
        IiifInfo proxied = parse(URI.create("http://127.0.0.1:8080/iiif/s.tif/info.json"), """
                {"@context": "http://iiif.io/api/image/2/context.json", "@id": "http://backend:9000/iiif/s.tif",
                 "width": 10, "height": 10, "profile": ["http://iiif.io/api/image/2/level2.json"]}
                """);
        assertEquals("http://127.0.0.1:8080/iiif/s.tif", proxied.base());
        IiifInfo query = parse(URI.create("http://127.0.0.1/fcgi-bin/iipsrv.fcgi?IIIF=/data/s.tif/info.json"), """
                {"@context": "http://iiif.io/api/image/2/context.json", "@id": "x", "width": 10, "height": 10}
                """);
        assertEquals("http://127.0.0.1/fcgi-bin/iipsrv.fcgi?IIIF=/data/s.tif", query.base());
        IiifInfo byId = parse(URI.create("http://h/info?id=7"), """
                {"@context": "http://iiif.io/api/image/3/context.json", "id": "http://h/images/7/", "width": 10,
                 "height": 10, "profile": "level2"}
                """);
        assertEquals("http://h/images/7", byId.base());
    }

    @Test
    void badDocumentsSayWhatIsWrong() {
        URI u = URI.create("http://h/bad/info.json");
        assertProblem(u, "{\"@context\": \"http://iiif.io/api/image/3/context.json\", \"id\": \"x\", \"height\": 5}",
                "missing width");
        assertProblem(u, "{\"@context\": \"http://iiif.io/api/image/3/context.json\", \"id\": \"x\", \"width\": -5, "
                + "\"height\": 5}", "width -5");
        assertProblem(u, "{\"@context\": \"http://library.stanford.edu/iiif/image-api/1.1/context.json\", "
                + "\"@id\": \"x\", \"width\": 5, \"height\": 5}", "1.x is not supported");
        assertProblem(u, "[1, 2]", "not a JSON object");
        assertProblem(u, "{\"width\": ", "malformed JSON");
        assertProblem(u, "{\"width\": 5, \"height\": 5}", "not an IIIF image information document");
        assertProblem(u, "{\"@context\": \"http://iiif.io/api/image/3/context.json\", \"id\": \"x\", \"width\": 5, "
                + "\"height\": 5, \"tiles\": [{\"width\": 256, \"scaleFactors\": [1, 0]}]}", "scale factor 0");
        assertProblem(u, "{\"@context\": \"http://iiif.io/api/image/3/context.json\", \"id\": \"x\", "
                + "\"width\": 99999999999, \"height\": 5}", "absurd image size");
    }

    private static void assertProblem(URI u, String json, String words) {
        SlideException e = assertThrows(SlideException.class, () -> parse(u, json));
        assertTrue(e.getMessage().startsWith(u + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }
}
