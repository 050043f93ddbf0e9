package org.tilescope.engine.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.tilescope.engine.slide.ContentFingerprint;

/**
 * Where each slide's annotations live: one GeoJSON file per slide in the user's data folder,
 * {@code DATA/annotations/FINGERPRINT.geojson}, keyed by the slide's {@link ContentFingerprint} so
 * a copied or renamed slide finds its annotations. Nothing is ever written next to a slide (slide
 * folders are often read-only shares). A slide with no stored file starts from its sidecar: a
 * {@code NAME.geojson} beside it, or the {@code annotations/*.geojson} of a FastPATH folder.
 *
 * <p>Writes are atomic and durable: a temporary file in the same folder, forced to disk, moved
 * over the old one atomically, then the folder itself forced, so a crash or a kill leaves either
 * the old file or the new one, never half of one.
 */
public final class AnnotationStore {
    private static final System.Logger LOG = System.getLogger(AnnotationStore.class.getName());
    private static final String FOLDER = "annotations";
    private static final String SUFFIX = ".geojson";

    private final Path dataDir;

    /** @param dataDir the Tilescope data folder; files go in its {@code annotations} subfolder */
    public AnnotationStore(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The store in the user's data folder ({@link #defaultDataDir()}). */
    public static AnnotationStore openDefault() {
        return new AnnotationStore(defaultDataDir());
    }

    /**
     * The per-user data folder: {@code $TILESCOPE_DATA} (or the system property
     * {@code tilescope.data}, which tests use), else {@code $XDG_DATA_HOME/tilescope}, else
     * {@code ~/.local/share/tilescope}. Relative values are ignored, as the XDG spec says.
     * (A shared resolver for Tilescope's folders is coming with the library; this one is private
     * to annotations until then.)
     */
    public static Path defaultDataDir() {
        String own = System.getProperty("tilescope.data", System.getenv("TILESCOPE_DATA"));
        if (own != null && !own.isBlank() && Path.of(own).isAbsolute()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "tilescope");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "tilescope");
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The file that holds a slide's annotations (it may not exist yet). */
    public Path file(ContentFingerprint fp) {
        return dataDir.resolve(FOLDER).resolve(fp + SUFFIX);
    }

    /** Where a slide's annotations came from. */
    public enum Origin {
        /** The store's own file: the user's annotations. */
        STORED,
        /** GeoJSON beside the slide, read because nothing was stored yet. */
        SIDECAR,
        /** Neither: the slide has no annotations. */
        NONE
    }

    /** A slide's annotations as loaded, and from which files. */
    public record Loaded(List<Annotation> annotations, Origin origin, List<Path> files) {
        public Loaded {
            annotations = List.copyOf(annotations);
            files = List.copyOf(files);
        }
    }

    /**
     * The slide's stored annotations, or else its sidecar's, or none.
     *
     * @param slide the slide's local file or folder (to find sidecars), or null for a remote slide
     * @throws GeoJsonException when the stored file or a sidecar is not importable (named in the message)
     */
    public Loaded load(ContentFingerprint fp, Path slide) throws IOException {
        Path stored = file(fp);
        if (Files.isRegularFile(stored)) {
            return new Loaded(GeoJsonReader.read(stored), Origin.STORED, List.of(stored));
        }
        List<Path> sidecars = slide == null ? List.of() : sidecars(slide);
        if (sidecars.isEmpty()) {
            return new Loaded(List.of(), Origin.NONE, List.of());
        }
        List<Annotation> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path s : sidecars) {
            for (Annotation a : GeoJsonReader.read(s)) {
                // two sidecars may share ids (copies of one export): the later one gets fresh ids
                all.add(ids.add(a.id()) ? a : new Annotation(UUID.randomUUID().toString(), a.geometry(), a.shape(),
                        a.objectType(), a.name(), a.classification(), a.locked(), a.measurements(), a.foreign()));
            }
        }
        return new Loaded(all, Origin.SIDECAR, sidecars);
    }

    /**
     * GeoJSON files that come with a slide: for a file {@code case.svs}, {@code case.geojson} and
     * {@code case.svs.geojson} beside it; for a folder (FastPATH), its {@code annotations/*.geojson}
     * and {@code NAME.geojson} beside it. Sorted, existing ones only.
     */
    public static List<Path> sidecars(Path slide) {
        List<Path> out = new ArrayList<>();
        Path name = slide.getFileName();
        Path parent = slide.toAbsolutePath().getParent();
        if (name == null || parent == null) {
            return out;
        }
        String full = name.toString();
        int dot = full.lastIndexOf('.');
        String base = dot > 0 ? full.substring(0, dot) : full;
        if (Files.isDirectory(slide)) {
            Path folder = slide.resolve(FOLDER);
            if (Files.isDirectory(folder)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
                    List<Path> inside = new ArrayList<>();
                    ds.forEach(inside::add);
                    inside.sort(null);
                    out.addAll(inside);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, folder + ": cannot list annotations (" + e.getMessage() + ")");
                }
            }
        }
        for (String candidate : new String[] {base + SUFFIX, full + SUFFIX}) {
            Path p = parent.resolve(candidate);
            if (Files.isRegularFile(p) && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Writes a slide's annotations (an empty list too: it records that the sidecar's were
     * deleted). Atomic and durable; see the class comment.
     *
     * @param slideName recorded in the file for people who look at the folder
     */
    public void save(ContentFingerprint fp, String slideName, Collection<Annotation> annotations) throws IOException {
        Path target = file(fp);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        ObjectNode about = JsonNodeFactory.instance.objectNode();
        about.put("slide", slideName);
        about.put("fingerprint", fp.toString());
        about.put("format", 1);
        Map<String, JsonNode> members = Map.of("tilescope", about);
        Path tmp = Files.createTempFile(dir, "." + fp, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                GeoJsonWriter.write(out, annotations, members);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(dir + ": the file system cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    /** Makes the rename itself durable; platforms that cannot open a folder (Windows) skip it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, dir + ": folder not synced (" + e.getMessage() + ")");
        }
    }
}
