package org.tilescope.engine.slide;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A location being considered by the {@link SlideProvider}s: what each needs to tell whether the
 * slide is theirs, read once and shared. For a local file, the first {@value #HEAD_BYTES} bytes.
 */
public final class SlideProbe {
    /** Enough for the TIFF and BigTIFF headers and an XML declaration. */
    public static final int HEAD_BYTES = 64;

    private final URI location;
    private final Path file;
    private final boolean directory;
    private byte[] head;

    private SlideProbe(URI location, Path file, boolean directory) {
        this.location = location;
        this.file = file;
        this.directory = directory;
    }

    /**
     * Probes a location; a {@code file:} URI or a plain path string is looked at on disk.
     *
     * @throws SlideException when a local file or folder does not exist
     */
    public static SlideProbe of(URI location) throws IOException {
        if (location.getScheme() == null || "file".equalsIgnoreCase(location.getScheme())) {
            Path p = location.getScheme() == null ? Path.of(location.getPath()) : Path.of(location);
            return of(p);
        }
        return new SlideProbe(location, null, false);
    }

    /** Probes a local file or folder. */
    public static SlideProbe of(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new SlideException(p, "no such file or folder");
        }
        return new SlideProbe(p.toUri(), p, Files.isDirectory(p));
    }

    public URI location() {
        return location;
    }

    /** The local file or folder, absolute and normalized; empty for a remote location. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The local file or folder, or a {@link SlideException} for a provider that reads only local files. */
    public Path requireFile() throws SlideException {
        if (file == null) {
            throw new SlideException(location, "not a local file");
        }
        return file;
    }

    public boolean isDirectory() {
        return directory;
    }

    /** The lower-cased last name of the location ("a.svs"), for providers that check a suffix. */
    public String lowerName() {
        String path = file != null ? (file.getFileName() == null ? "" : file.getFileName().toString())
                : location.getPath() == null ? "" : location.getPath().replaceAll(".*/", "");
        return path.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The first bytes of a local file (fewer when it is shorter); empty for folders and remote
     * locations.
     *
     * @throws SlideException when the file cannot be read or is empty
     */
    public synchronized byte[] head() throws IOException {
        if (head == null) {
            if (file == null || directory) {
                head = new byte[0];
            } else {
                byte[] b = new byte[HEAD_BYTES];
                int n;
                try (InputStream in = Files.newInputStream(file)) {
                    n = in.readNBytes(b, 0, b.length);
                } catch (NoSuchFileException e) {
                    throw new SlideException(file, "no such file");
                } catch (IOException e) {
                    throw new SlideException(file, "cannot read: " + e.getMessage(), e);
                }
                if (n == 0) {
                    throw new SlideException(file, "empty file (0 bytes)");
                }
                head = Arrays.copyOf(b, n);
            }
        }
        return head.clone();
    }
}
