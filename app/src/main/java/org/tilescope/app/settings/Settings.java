package org.tilescope.app.settings;

import org.tilescope.app.swing.Edt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The user's settings and recent slides, in the config folder ({@code $XDG_CONFIG_HOME/tilescope}
 * or {@code ~/.config/tilescope}), written atomically so a crash never leaves half a file.
 */
public final class Settings {
    static final int MAX_RECENT = 12;
    private static final System.Logger LOG = System.getLogger(Settings.class.getName());

    private final Path dir;
    private final Properties props = new Properties();
    private final List<Path> recent = new ArrayList<>();
    /** Writes happen here, in order, so the EDT never waits on the disk. */
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tilescope-settings").daemon(true).factory());

    public Settings(Path dir) {
        this.dir = dir;
        load();
    }

    public static Path defaultDir() {
        return org.tilescope.engine.library.LibraryFolders.fromEnvironment().config();
    }

    private void load() {
        Path file = dir.resolve("settings.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, file + ": unreadable settings, using defaults (" + e.getMessage() + ")");
            }
        }
        Path rec = dir.resolve("recent.txt");
        if (Files.isRegularFile(rec)) {
            try {
                for (String line : Files.readAllLines(rec)) {
                    if (!line.isBlank() && recent.size() < MAX_RECENT) {
                        recent.add(Path.of(line.trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, rec + ": unreadable recent list (" + e.getMessage() + ")");
            }
        }
    }

    public synchronized String get(String key, String fallback) {
        return props.getProperty(key, fallback);
    }

    public synchronized void put(String key, String value) {
        props.setProperty(key, value);
        saveLater();
    }

    /**
     * Recent slides, newest first, only those that still exist. Asks the disk about each one, so
     * never on the EDT: a dead network mount can block {@code Files.exists} for minutes. The
     * look happens outside the lock, so {@link #addRecent} from the EDT never waits for it.
     */
    public List<Path> recent() {
        Edt.assertOffEdt();
        List<Path> listed;
        synchronized (this) {
            listed = List.copyOf(recent);
        }
        return listed.stream().filter(Files::exists).toList();
    }

    public synchronized void addRecent(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        recent.remove(abs);
        recent.addFirst(abs);
        while (recent.size() > MAX_RECENT) {
            recent.removeLast();
        }
        saveLater();
    }

    private void saveLater() {
        Properties p = (Properties) props.clone();
        List<Path> r = List.copyOf(recent);
        writer.submit(() -> save(p, r));
    }

    /** Waits for pending writes (tests). */
    public void flush() {
        flush(Long.MAX_VALUE);
    }

    /** Waits at most {@code millis} for pending writes (shutdown: a hung disk must not keep the process alive). */
    public void flush(long millis) {
        try {
            writer.submit(() -> { }).get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "settings not flushed within " + millis + " ms");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "settings not flushed: " + e.getMessage());
        }
    }

    private void save(Properties props, List<Path> recent) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("settings.properties.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "Tilescope settings");
            }
            Files.move(tmp, dir.resolve("settings.properties"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Path rtmp = dir.resolve("recent.txt.tmp");
            Files.write(rtmp, recent.stream().map(Path::toString).toList());
            Files.move(rtmp, dir.resolve("recent.txt"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save settings in " + dir + ": " + e.getMessage());
        }
    }
}
