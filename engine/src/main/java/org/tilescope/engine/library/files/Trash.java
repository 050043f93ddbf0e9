package org.tilescope.engine.library.files;

import java.awt.Desktop;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Moves files and folders to the trash; never deletes. Java's {@link Desktop} trash where the
 * platform supports it (Windows, macOS), else the freedesktop.org trash of the user's home
 * ({@code $XDG_DATA_HOME/Trash}: {@code files/} plus a {@code .trashinfo} for the file
 * managers' "restore"), or the folder given instead (tests).
 */
public final class Trash {
    private final Optional<Path> override;

    /** @param override a trash folder to use instead of the desktop's */
    public Trash(Optional<Path> override) {
        this.override = override;
    }

    /** Moves one file or folder; throws naming it when it cannot. */
    public void move(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(abs + ": no such file or folder");
        }
        if (override.isEmpty() && Desktop.isDesktopSupported()
                && Desktop.getDesktop().isSupported(Desktop.Action.MOVE_TO_TRASH)) {
            if (!Desktop.getDesktop().moveToTrash(abs.toFile())) {
                throw new IOException(abs + ": the desktop refused to move it to the trash");
            }
            return;
        }
        freedesktop(override.orElseGet(Trash::homeTrash), abs);
    }

    static Path homeTrash() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home", ".")).resolve(".local").resolve("share");
        return base.resolve("Trash");
    }

    /** The freedesktop.org trash spec: reserve the info file first (it names the entry), then move. */
    static void freedesktop(Path trash, Path abs) throws IOException {
        Path files = Files.createDirectories(trash.resolve("files"));
        Path info = Files.createDirectories(trash.resolve("info"));
        String name = abs.getFileName().toString();
        for (int i = 1; ; i++) {
            String candidate = i == 1 ? name : name + "." + i;
            Path infoFile = info.resolve(candidate + ".trashinfo");
            try {
                Files.writeString(infoFile, "[Trash Info]\nPath=" + encode(abs) + "\nDeletionDate="
                        + LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Path target = files.resolve(candidate);
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(infoFile);
                continue;
            }
            try {
                Files.move(abs, target);
            } catch (IOException e) {
                Files.deleteIfExists(infoFile);
                throw new IOException(abs + ": cannot move to the trash (" + e.getMessage() + ")", e);
            }
            return;
        }
    }

    private static String encode(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
