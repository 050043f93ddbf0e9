package org.tilescope.engine.slide.tiff;

import org.tilescope.engine.slide.SlideException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of one TIFF file, safe from many threads at once (no shared position), with
 * the file's byte order and the size it had when opened, which bounds every read.
 *
 * <p>An interrupted thread blocked in a FileChannel read closes the channel for every thread
 * ({@link ClosedByInterruptException}). Tile reads run on virtual threads that the scheduler may
 * interrupt when a viewport moves on, so the channel is reopened rather than letting one
 * cancelled read break the slide.
 */
final class TiffFile implements AutoCloseable {
    private final Path path;
    private final long size;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private TiffFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    static TiffFile open(Path path) throws IOException {
        try {
            return new TiffFile(path, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new SlideException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    ByteOrder order() {
        return order;
    }

    /** Set once by the parser, from the header, before the file is shared between threads. */
    void order(ByteOrder byteOrder) {
        this.order = byteOrder;
    }

    /** Reads exactly {@code len} bytes at {@code pos}; the caller has checked they lie in the file. */
    byte[] read(long pos, int len) throws IOException {
        byte[] b = new byte[len];
        readFully(pos, ByteBuffer.wrap(b));
        return b;
    }

    /** A buffer of {@code len} bytes at {@code pos} in the file's byte order. */
    ByteBuffer buffer(long pos, int len) throws IOException {
        return ByteBuffer.wrap(read(pos, len)).order(order);
    }

    private void readFully(long pos, ByteBuffer dst) throws IOException {
        int start = dst.position();
        boolean retried = false;
        while (dst.hasRemaining()) {
            FileChannel ch = channel;
            try {
                int n = ch.read(dst, pos + dst.position() - start);
                if (n < 0) {
                    throw new EOFException("end of file at offset " + (pos + dst.position() - start)
                            + " (the file shrank after it was opened?)");
                }
            } catch (ClosedByInterruptException e) {
                // This thread was interrupted: its read is cancelled, but the slide must live on.
                reopen(ch);
                InterruptedIOException ie = new InterruptedIOException("read interrupted");
                ie.initCause(e);
                throw ie;
            } catch (ClosedChannelException e) {
                // Another thread's interrupt closed the channel under this read; reopen and go on.
                if (closed || retried) {
                    throw e;
                }
                retried = true;
                reopen(ch);
            }
        }
    }

    private void reopen(FileChannel broken) throws IOException {
        synchronized (reopenLock) {
            if (closed || channel != broken) {
                return;
            }
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    /** Closes the file handle; the next read reopens it (the slide pool bounds open files). */
    void release() {
        synchronized (reopenLock) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a read-only channel loses nothing on close
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (reopenLock) {
            closed = true;
            channel.close();
        }
    }
}
