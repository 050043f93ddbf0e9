package org.tilescope.engine.library.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import org.tilescope.engine.library.store.StoredSlide;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideException;
import org.tilescope.engine.slide.SlideInfo;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Looks at one candidate as cheaply as it can: nothing read when its sizes and times match the
 * stored slide; the descriptor and sidecars hashed when they do not; the slide opened (metadata
 * and content fingerprint, a few coarse tiles) only when that checksum changed too.
 */
public final class SlideExaminer {
    /** Notes count toward the instant token estimate up to this many bytes each, as they are read. */
    public static final long NOTE_BYTES = 1 << 20;

    private SlideExaminer() {
    }

    /** What looking at a candidate found. */
    public sealed interface Outcome {
        /** Same sizes and times as stored: nothing read. */
        record Unchanged() implements Outcome {
        }

        /** Times changed but the checksum did not: the stored slide with its new stat key. */
        record Touched(StoredSlide slide) implements Outcome {
        }

        /** New or changed: opened and described. */
        record Opened(StoredSlide slide) implements Outcome {
        }

        /** Does not open: why. */
        record Failed(String reason) implements Outcome {
        }
    }

    /**
     * @param previous the stored slide at this path, or null
     */
    public static Outcome examine(Candidate c, StoredSlide previous) {
        long statKey = c.statKey();
        if (previous != null && previous.statKey() == statKey) {
            return new Outcome.Unchanged();
        }
        long checksum;
        try {
            checksum = DescriptorChecksum.of(c);
        } catch (IOException e) {
            return new Outcome.Failed(reason(c.slide(), e));
        }
        if (previous != null && previous.checksum() == checksum) {
            return new Outcome.Touched(previous.withStat(statKey, c.descriptor().modified()));
        }
        try (SlideSource source = Slides.open(c.slide())) {
            SlideInfo info = source.info();
            String fingerprint;
            try {
                fingerprint = ContentFingerprint.of(source).toString();
            } catch (IOException | RuntimeException e) {
                fingerprint = null; // a damaged coarse tile: the slide still lists, only duplicates cannot see it
            }
            long bytes = bytesOnDisk(c);
            StoredSlide s = new StoredSlide(info.format(), info.width(), info.height(), info.levelCount(),
                    info.mpp().isPresent() ? info.mpp().getAsDouble() : null,
                    info.magnification().isPresent() ? info.magnification().getAsDouble() : null,
                    bytes, c.descriptor().modified(), statKey, checksum, fingerprint,
                    c.sidecars().stream().map(f -> f.path().toString()).toList(), 0, -1, 0);
            return new Outcome.Opened(s.withTokens(estimate(c, s), -1, 0));
        } catch (IOException | RuntimeException e) {
            return new Outcome.Failed(reason(c.slide(), e));
        }
    }

    /** bytes/4 of what the text will hold, before any of it is read. */
    static long estimate(Candidate c, StoredSlide s) {
        long bytes = name(c.slide()).getBytes(StandardCharsets.UTF_8).length + metadataLines(s).stream()
                .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        for (Candidate.FileStat f : c.sidecars()) {
            bytes += Math.min(Math.max(0, f.size()), NOTE_BYTES);
        }
        return Math.ceilDiv(bytes, 4);
    }

    /** The slide's display name: its file name without the extension. */
    public static String name(Path slide) {
        return FolderWalker.baseName(slide.getFileName().toString(), Files.isDirectory(slide));
    }

    /** The display name, when the format says whether the slide is a folder (no file system look). */
    public static String name(Path slide, String format) {
        return FolderWalker.baseName(slide.getFileName().toString(), "fastpath".equals(format));
    }

    /** The metadata as lines of text, for the search document, the token count and the LLM context. */
    public static List<String> metadataLines(StoredSlide s) {
        List<String> lines = new java.util.ArrayList<>(4);
        lines.add("Format: " + s.format());
        lines.add("Size: " + s.width() + " x " + s.height() + " px, " + s.levels() + " levels");
        if (s.mpp() != null) {
            lines.add("Resolution: " + trim(s.mpp()) + " µm/px");
        }
        if (s.magnification() != null) {
            lines.add("Magnification: " + trim(s.magnification()) + "x");
        }
        return lines;
    }

    static String trim(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.4g", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** The descriptor plus every tile: a .dzi and its _files folder, a FastPATH folder, a TIFF. */
    static long bytesOnDisk(Candidate c) throws IOException {
        Path slide = c.slide();
        if (c.folder()) {
            return treeSize(slide);
        }
        long bytes = Files.size(slide);
        String name = slide.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".dzi")) {
            Path files = slide.resolveSibling(name.substring(0, name.length() - 4) + "_files");
            if (Files.isDirectory(files)) {
                bytes += treeSize(files);
            }
        }
        return bytes;
    }

    private static long treeSize(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Why a slide failed, without repeating the slide's own path (a failure is listed beside it). */
    static String reason(Path slide, Throwable e) {
        if (e instanceof SlideException se) {
            return se.file().toAbsolutePath().normalize().equals(slide.toAbsolutePath().normalize())
                    ? se.problem() : se.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
