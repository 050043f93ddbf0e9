package org.tilescope.engine.slide;

import org.tilescope.engine.slide.deepzoom.DeepZoomSource;
import org.tilescope.engine.slide.fastpath.FastPathSource;
import org.tilescope.engine.slide.tiff.TiffSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens any slide Tilescope reads, telling the format by content rather than by name. */
public final class Slides {
    private Slides() {
    }

    /** The formats, as told by {@link #detect}. */
    public enum Format { DEEPZOOM, FASTPATH, TIFF }

    /**
     * Opens a slide: a {@code .dzi} file, a FastPATH {@code .fastpath} folder, or a pyramidal TIFF
     * / SVS file. The {@code _files} folder of a Deep Zoom slide may be given instead of the .dzi.
     *
     * @throws SlideException naming the file and what is wrong with it
     */
    public static SlideSource open(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        Format format = detect(p);
        return switch (format) {
            case DEEPZOOM -> DeepZoomSource.open(p);
            case FASTPATH -> FastPathSource.open(p);
            case TIFF -> TiffSource.open(p);
        };
    }

    /**
     * Tells what a path holds.
     *
     * @throws SlideException when it is missing, empty, or not a slide
     */
    public static Format detect(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new SlideException(p, "no such file or folder");
        }
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve("metadata.json"))) {
                return Format.FASTPATH;
            }
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.endsWith("_files")) {
                Path dzi = p.resolveSibling(name.substring(0, name.length() - "_files".length()) + ".dzi");
                if (Files.isRegularFile(dzi)) {
                    return Format.DEEPZOOM;
                }
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".fastpath")) {
                throw new SlideException(p, "FastPATH folder without metadata.json");
            }
            throw new SlideException(p, "a folder, not a slide (open a .dzi, .fastpath, .tif or .svs)");
        }
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new SlideException(p, "no such file");
        } catch (IOException e) {
            throw new SlideException(p, "cannot read: " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new SlideException(p, "empty file (0 bytes)");
        }
        if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)))) {
            return Format.TIFF;
        }
        if (looksLikeXml(head, n)) {
            return Format.DEEPZOOM;
        }
        if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dzi")) {
            throw new SlideException(p, "not a Deep Zoom descriptor (no XML inside)");
        }
        throw new SlideException(p, "not a slide Tilescope can read (not TIFF, Deep Zoom or FastPATH)");
    }

    /** True for names the navigator should offer: cheap, by name only; {@link #open} checks content. */
    public static boolean looksLikeSlide(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            return name.endsWith(".fastpath") || Files.isRegularFile(p.resolve("metadata.json"))
                    && Files.isDirectory(p.resolve("tiles")) || Files.isDirectory(p.resolve("tiles_files"));
        }
        return name.endsWith(".dzi") || name.endsWith(".tif") || name.endsWith(".tiff")
                || name.endsWith(".svs") || name.endsWith(".btf") || name.endsWith(".tf8");
    }

    private static boolean looksLikeXml(byte[] head, int n) {
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
