package org.tilescope.engine.slide.deepzoom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;

/** Deep Zoom: an XML descriptor (any name) or its {@code NAME_files} folder beside {@code NAME.dzi}. */
public final class DeepZoomProvider implements SlideProvider {

    @Override
    public String name() {
        return "deepzoom";
    }

    @Override
    public double support(SlideProbe probe) throws IOException {
        if (probe.file().isEmpty()) {
            return 0;
        }
        Path p = probe.file().get();
        String name = probe.lowerName();
        if (probe.isDirectory()) {
            String real = p.getFileName() == null ? "" : p.getFileName().toString();
            return real.endsWith("_files") && Files.isRegularFile(
                    p.resolveSibling(real.substring(0, real.length() - "_files".length()) + ".dzi")) ? 1 : 0;
        }
        if (looksLikeXml(probe.head())) {
            return 1;
        }
        if (name.endsWith(".dzi")) {
            throw new SlideException(p, "not a Deep Zoom descriptor (no XML inside)");
        }
        return 0;
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return DeepZoomSource.open(probe.requireFile());
    }

    /** An XML document starts with '<', after an optional UTF-8 byte-order mark and blanks. */
    private static boolean looksLikeXml(byte[] head) {
        int n = head.length;
        int i = 0;
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i < n && head[i] == '<';
    }
}
