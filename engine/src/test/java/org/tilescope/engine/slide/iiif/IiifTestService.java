package org.tilescope.engine.slide.iiif;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tilescope.engine.testing.Fixtures;
import org.tilescope.engine.testing.LocalHttpServer;

/**
 * A small IIIF image service for tests: answers {@code PREFIX/info.json} with a given document
 * and image requests {@code PREFIX/x,y,w,h|full/w,h|w,|max|full/0/default.jpg} from a halving
 * pyramid of an image, as lossless PNG, so what a client reads can be compared pixel for pixel.
 * Only power-of-two reductions are served; anything else is a 400, as a strict server would.
 */
final class IiifTestService implements HttpHandler {
    private final String prefix;
    private final List<BufferedImage> pyramid;
    private volatile String infoJson;
    private volatile String etag = "\"1\"";
    /** Image requests (the part after the prefix) answered with 404. */
    final Set<String> missing = ConcurrentHashMap.newKeySet();
    /** Every image request served, the part after the prefix. */
    final List<String> served = new CopyOnWriteArrayList<>();

    IiifTestService(String prefix, BufferedImage image, String infoJson) {
        this.prefix = prefix;
        this.pyramid = Fixtures.pyramid(image);
        this.infoJson = infoJson;
    }

    void setInfo(String json, String newEtag) {
        infoJson = json;
        etag = newEtag;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String rest = ex.getRequestURI().getPath().substring(prefix.length());
        if (rest.equals("/info.json")) {
            ex.getResponseHeaders().set("ETag", etag);
            if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
            LocalHttpServer.send(ex, 200, "application/ld+json", infoJson.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (missing.contains(rest)) {
            LocalHttpServer.send(ex, 404, "text/plain", "no such tile".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String[] p = rest.substring(1).split("/");
        if (p.length != 4 || !p[2].equals("0") || !p[3].equals("default.jpg")) {
            LocalHttpServer.send(ex, 400, "text/plain", ("bad request " + rest).getBytes(StandardCharsets.UTF_8));
            return;
        }
        BufferedImage full = pyramid.getFirst();
        int xr = 0;
        int yr = 0;
        int wr = full.getWidth();
        int hr = full.getHeight();
        if (!p[0].equals("full")) {
            String[] r = p[0].split(",");
            xr = Integer.parseInt(r[0]);
            yr = Integer.parseInt(r[1]);
            wr = Integer.parseInt(r[2]);
            hr = Integer.parseInt(r[3]);
        }
        int ws;
        if (p[1].equals("max") || p[1].equals("full")) {
            ws = wr;
        } else {
            ws = Integer.parseInt(p[1].substring(0, p[1].indexOf(',')));
        }
        int k = 0;
        while (Math.ceilDiv(wr, 1 << k) > ws) {
            k++;
        }
        int s = 1 << k;
        if (Math.ceilDiv(wr, s) != ws || xr % s != 0 || yr % s != 0 || k >= pyramid.size()) {
            LocalHttpServer.send(ex, 400, "text/plain", ("not a power-of-two reduction " + rest).getBytes(StandardCharsets.UTF_8));
            return;
        }
        int hs = Math.ceilDiv(hr, s);
        if (p[1].contains(",") && !p[1].endsWith(",") && Integer.parseInt(p[1].substring(p[1].indexOf(',') + 1)) != hs) {
            LocalHttpServer.send(ex, 400, "text/plain", ("height does not match " + rest).getBytes(StandardCharsets.UTF_8));
            return;
        }
        served.add(rest);
        BufferedImage level = pyramid.get(k);
        LocalHttpServer.send(ex, 200, "image/png", Fixtures.encode(Fixtures.crop(level, xr / s, yr / s, ws, hs), "png"));
    }
}
