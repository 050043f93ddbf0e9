package org.tilescope.engine.slide.tiff;

import java.io.IOException;
import org.tilescope.engine.slide.SlideProbe;
import org.tilescope.engine.slide.SlideProvider;
import org.tilescope.engine.slide.SlideSource;

/** Pyramidal TIFF, BigTIFF and Aperio SVS, told by the byte-order mark and magic number. */
public final class TiffProvider implements SlideProvider {

    @Override
    public String name() {
        return "tiff";
    }

    @Override
    public double support(SlideProbe probe) throws IOException {
        if (probe.file().isEmpty() || probe.isDirectory()) {
            return 0;
        }
        byte[] h = probe.head();
        boolean little = h.length >= 4 && h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0;
        boolean big = h.length >= 4 && h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43);
        return little || big ? 1 : 0;
    }

    @Override
    public SlideSource open(SlideProbe probe) throws IOException {
        return TiffSource.open(probe.requireFile());
    }
}
