package org.tilescope.engine.pyramid;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.tilescope.engine.decode.Images;

/**
 * Encodes tile pixels as JPEG. One instance per thread (the JDK's writer is not thread-safe);
 * {@link PyramidWriter} gives each encoder thread its own.
 */
final class TileEncoder implements AutoCloseable {
    private static final DirectColorModel RGB = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 << 10);

    TileEncoder(int quality) throws IOException {
        writer = Images.jdkJpegWriter();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(Math.clamp(quality, 1, 100) / 100f);
    }

    /** JPEG bytes of a {@code w} x {@code h} tile of 0xRRGGBB pixels (wrapped, not copied). */
    byte[] jpeg(int[] pixels, int w, int h) throws IOException {
        DataBufferInt db = new DataBufferInt(pixels, w * h);
        WritableRaster raster = Raster.createWritableRaster(
                new SinglePixelPackedSampleModel(db.getDataType(), w, h, RGB.getMasks()), db, null);
        BufferedImage img = new BufferedImage(RGB, raster, false, null);
        bytes.reset();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
