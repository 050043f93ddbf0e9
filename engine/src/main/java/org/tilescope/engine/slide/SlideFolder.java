package org.tilescope.engine.slide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The slides of one folder, as a navigator or a preloader sees them. */
public final class SlideFolder {
    private SlideFolder() {
    }

    /**
     * Every entry of {@code dir} that is a slide by name and layout: {@code .dzi} files, TIFF/SVS
     * files, and FastPATH folders; sorted by name. Deep Zoom {@code _files} folders, notes and
     * other files are left out. Whether each one reads is for {@link Slides#open} to say.
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new SlideException(dir, "not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(SlideFolder::isSlide)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)))
                    .toList();
        }
    }

    /** The folder a slide lives in (for a FastPATH folder, its parent). */
    public static Path folderOf(Path slide) {
        Path abs = slide.toAbsolutePath().normalize();
        return abs.getParent() == null ? abs : abs.getParent();
    }

    static boolean isSlide(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.startsWith(".")) {
            return false;
        }
        if (Files.isDirectory(p)) {
            return lower.endsWith(".fastpath") || Files.isRegularFile(p.resolve("metadata.json"))
                    && (Files.isDirectory(p.resolve("tiles")) || Files.isDirectory(p.resolve("tiles_files")));
        }
        return Files.isRegularFile(p) && (lower.endsWith(".dzi") || lower.endsWith(".tif") || lower.endsWith(".tiff")
                || lower.endsWith(".svs") || lower.endsWith(".btf") || lower.endsWith(".tf8"));
    }
}
