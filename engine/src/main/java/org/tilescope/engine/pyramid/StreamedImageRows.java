package org.tilescope.engine.pyramid;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import org.tilescope.engine.slide.SlideException;

/**
 * A JPEG (or PNG) decoded once, top to bottom, without ever holding the whole image: the reader
 * decodes into a destination whose raster keeps no pixels and hands each decoded row on, band by
 * band, through a small queue. ImageIO's source regions would decode from the top again for every
 * band (quadratic in the height); this reads each row once.
 *
 * <p>It relies on the reader writing rows through {@link WritableRaster#setRect(int, int, Raster)}
 * of the destination's raster, as the JDK's JPEG and PNG readers do; {@link ImageFileRows} uses it
 * for those and falls back to source regions when a reader refuses the destination.
 */
final class StreamedImageRows implements RowSource {
    private static final int BAND = 256;
    private static final int QUEUED_BANDS = 2;
    private static final int[] END = new int[0];

    private final ImageFileRows owner;
    private final Path file;
    private final ImageReader reader;
    private final int width;
    private final int height;
    private final int bands;
    private final BlockingQueue<int[]> queue = new ArrayBlockingQueue<>(QUEUED_BANDS);
    /**
     * Bands the writer has copied out, for the decoder to fill again: a band of a 40000 px wide
     * image is 41 MB, and allocating one for every 256 rows made G1 grow the heap towards -Xmx
     * with humongous garbage.
     */
    private final BlockingQueue<int[]> free = new ArrayBlockingQueue<>(QUEUED_BANDS + 1);
    private final Thread decoder;
    private volatile Throwable failure;
    private volatile boolean closed;

    StreamedImageRows(ImageFileRows owner, int bands) {
        this.owner = owner;
        this.file = owner.file();
        this.reader = owner.reader();
        this.width = owner.width();
        this.height = owner.height();
        this.bands = bands;
        this.decoder = Thread.ofPlatform().daemon().name("tilescope-import-decode").unstarted(this::decode);
        decoder.start();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int preferredBand() {
        return BAND;
    }

    /** The queued bands and the one being filled. */
    @Override
    public int bandsHeld() {
        return QUEUED_BANDS + 1;
    }

    @Override
    public void read(int y, int rows, int[] out) throws IOException {
        if (rows != Math.min(BAND, height - y)) {
            throw new IllegalArgumentException("read in bands of " + BAND + " rows");
        }
        int[] band;
        try {
            do {
                band = queue.poll(100, TimeUnit.MILLISECONDS);
                if (band == null && failure != null) {
                    throw failed();
                }
            } while (band == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (band == END) {
            throw failure != null ? failed() : new SlideException(file, "ended after " + y + " of " + height + " rows");
        }
        System.arraycopy(band, 0, out, 0, rows * width);
        free.offer(band);
    }

    private IOException failed() {
        Throwable t = failure;
        return t instanceof SlideException se ? se
                : new SlideException(file, "cannot decode: " + t.getMessage(), t);
    }

    private void decode() {
        RowSink sink = new RowSink();
        try {
            ColorSpace cs = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
            ComponentColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            int[] offsets = bands == 1 ? new int[] {0} : new int[] {0, 1, 2};
            // one row high: a sample model as high as the image would refuse more than 2^31 bytes
            // (a 40000x30000 RGB image); the raster's bounds below give it the image's height
            PixelInterleavedSampleModel sm = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, 1,
                    bands, bands * width, offsets);
            BufferedImage dest = new BufferedImage(cm, new PassingRaster(sm, height, sink), false, null);
            ImageReadParam p = reader.getDefaultReadParam();
            p.setDestination(dest);
            reader.read(0, p);
            owner.checkWarnings(0, height);
            sink.flush();
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                if (!closed) {
                    queue.put(END);
                }
            } catch (InterruptedException ignored) {
                // closing
            }
        }
    }

    /** Collects rows into bands and queues them. */
    private final class RowSink {
        private int[] band = new int[BAND * width];
        private int rowsInBand;
        private int nextRow;

        void row(int y, byte[] data, int offset, int pixelStride) throws InterruptedException {
            if (y != nextRow) {
                throw new IllegalStateException("row " + y + " out of order (expected " + nextRow + ")");
            }
            nextRow++;
            int base = rowsInBand * width;
            if (bands == 1) {
                for (int x = 0; x < width; x++) {
                    int g = data[offset + x * pixelStride] & 0xFF;
                    band[base + x] = (g << 16) | (g << 8) | g;
                }
            } else {
                for (int x = 0, i = offset; x < width; x++, i += pixelStride) {
                    band[base + x] = ((data[i] & 0xFF) << 16) | ((data[i + 1] & 0xFF) << 8) | (data[i + 2] & 0xFF);
                }
            }
            if (++rowsInBand == BAND) {
                flush();
            }
        }

        void flush() throws InterruptedException {
            if (rowsInBand > 0) {
                while (!closed && !queue.offer(band, 100, TimeUnit.MILLISECONDS)) {
                    // the writer is behind: wait (backpressure)
                }
                int[] reused = free.poll();
                band = reused != null ? reused : new int[BAND * width];
                rowsInBand = 0;
            }
            if (closed) {
                throw new InterruptedException("closed");
            }
        }
    }

    /** A raster that stores nothing: every row the reader sets goes to the sink. */
    private final class PassingRaster extends WritableRaster {
        private final RowSink sink;

        PassingRaster(PixelInterleavedSampleModel sm, int rows, RowSink sink) {
            super(sm, new DataBufferByte(1), new Rectangle(0, 0, sm.getWidth(), rows), new Point(0, 0), null);
            this.sink = sink;
        }

        @Override
        public WritableRaster createWritableChild(int x, int y, int w, int h, int cx, int cy, int[] bandList) {
            if (x != 0 || y != 0 || w != width || h != height || cx != 0 || cy != 0) {
                throw new UnsupportedOperationException("streamed decoding reads the whole image");
            }
            return this;
        }

        @Override
        public void setRect(int dx, int dy, Raster src) {
            if (!(src.getDataBuffer() instanceof DataBufferByte db) || src.getWidth() != width
                    || !(src.getSampleModel() instanceof PixelInterleavedSampleModel psm)) {
                throw new UnsupportedOperationException("unexpected row raster " + src);
            }
            int stride = psm.getScanlineStride();
            int pixelStride = psm.getPixelStride();
            int first = psm.getBandOffsets()[0];
            try {
                for (int r = 0; r < src.getHeight(); r++) {
                    sink.row(dy + r, db.getData(), db.getOffset() + first + r * stride, pixelStride);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reader.abort();
            }
        }
    }

    @Override
    public void close() throws IOException {
        // the decoding thread aborts the read itself when it next hands on a band: the JDK's reader
        // refuses abort() from any thread but the one reading
        closed = true;
        queue.clear();
        try {
            decoder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        owner.close();
    }
}
