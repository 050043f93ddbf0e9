package org.tilescope.app.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes PNG or JPEG by the output file's extension, atomically (temp file, then move). */
public final class ImageFiles {
    private ImageFiles() {
    }

    public static String formatOf(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "jpeg";
        }
        throw new IllegalArgumentException(out + ": output must end in .png, .jpg or .jpeg");
    }

    public static void write(BufferedImage img, Path out) throws IOException {
        String format = formatOf(out);
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException(out + ": folder " + dir + " does not exist");
        }
        // a sibling temp file, created with the user's umask like the final file
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format);
            if (!it.hasNext()) {
                throw new IOException("no " + format + " writer");
            }
            ImageWriter w = it.next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
                w.setOutput(ios);
                ImageWriteParam p = w.getDefaultWriteParam();
                if (format.equals("jpeg")) {
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setCompressionQuality(0.9f);
                }
                w.write(null, new IIOImage(img, null, null), p);
            } finally {
                w.dispose();
            }
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
