package org.tilescope.engine.library.files;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.region.Thumbnails;
import org.tilescope.engine.slide.ContentFingerprint;
import org.tilescope.engine.slide.SlideSource;
import org.tilescope.engine.slide.Slides;

/**
 * Slide thumbnails on disk, keyed by content fingerprint so a copy or a rename finds its
 * thumbnail: {@code <root>/ab/cd/<fingerprint>.jpg}, where ab and cd are the first four hex
 * digits of the fingerprint's hash (two levels keep folders small at 100,000 slides).
 */
public final class ThumbnailCache {
    /** Longest side of a cached thumbnail, in pixels. */
    public static final int SIZE = 256;

    private final Path root;

    public ThumbnailCache(Path root) {
        this.root = root;
    }

    public Path file(ContentFingerprint fp) {
        String hex = HexFormat.of().toHexDigits(fp.hash());
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(fp + ".jpg");
    }

    /** Renders the slide's thumbnail and writes it (atomically: a reader never sees half a file). */
    public Path make(Path slide, ContentFingerprint fp) throws IOException {
        Path target = file(fp);
        if (Files.isRegularFile(target)) {
            return target;
        }
        BufferedImage img;
        try (SlideSource src = Slides.open(slide)) {
            img = Thumbnails.render(src, TileDecoder.standard(), SIZE).image();
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".thumb-", ".tmp");
        try {
            writeJpeg(img, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static void writeJpeg(BufferedImage img, Path out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer");
        }
        ImageWriter w = writers.next();
        try (OutputStream os = Files.newOutputStream(out); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
