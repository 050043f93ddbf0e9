package org.tilescope.engine.slide;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;

/**
 * A provider that lives only in the test source set, registered through
 * {@code META-INF/services}: proof that a format plugs in without touching engine code. It reads
 * {@code testpattern:WIDTHxHEIGHT} locations as a checkerboard of 64 px PNG tiles whose colour
 * encodes the level, column and row.
 */
public final class TestPatternProvider implements SlideProvider {
    static final int TILE = 64;

    @Override
    public String name() {
        return "testpattern";
    }

    @Override
    public double support(SlideProbe probe) {
        return "testpattern".equals(probe.location().getScheme()) ? 1 : 0;
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        URI loc = probe.location();
        String[] wh = loc.getSchemeSpecificPart().split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new SlideException(loc, "expected testpattern:WIDTHxHEIGHT");
        }
        List<LevelInfo> levels = new ArrayList<>();
        int lw = w;
        int lh = h;
        for (int i = 0; ; i++) {
            levels.add(LevelInfo.of(i, lw, lh, Math.pow(2, i), TILE, TILE));
            if (lw <= TILE && lh <= TILE) {
                break;
            }
            lw = Math.max(1, Math.ceilDiv(lw, 2));
            lh = Math.max(1, Math.ceilDiv(lh, 2));
        }
        SlideInfo info = new SlideInfo(loc, name(), TILE, TILE, 0, levels, OptionalDouble.empty(),
                OptionalDouble.empty(), List.of());
        return new SlideSource() {
            @Override
            public SlideInfo info() {
                return info;
            }

            @Override
            public byte[] readTile(int level, int col, int row) throws IOException {
                info.level(level).requireTile(col, row);
                BufferedImage img = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(colour(level, col, row));
                g.fillRect(0, 0, TILE, TILE);
                g.dispose();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(img, "png", out);
                return out.toByteArray();
            }

            @Override
            public byte[] readAssociated(String name) throws IOException {
                throw new SlideException(loc, "no associated image named '" + name + "'");
            }

            @Override
            public void close() {
            }
        };
    }

    static Color colour(int level, int col, int row) {
        return new Color((level * 40) % 256, (col * 17) % 256, (row * 29) % 256);
    }
}
