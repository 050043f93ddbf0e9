package org.tilescope.engine.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Whole folders of output (a temporary pyramid, an old index) removed in one call. */
public final class FileTrees {
    private static final System.Logger LOG = System.getLogger(FileTrees.class.getName());

    private FileTrees() {
    }

    /**
     * Deletes a file or a folder with everything in it; a missing one is fine. Links are removed,
     * never followed. What cannot be removed is logged, not thrown: callers clean up after
     * failures and must not hide the first one.
     *
     * @return true when nothing is left at {@code root}
     */
    public static boolean deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (NoSuchFileException e) {
            return true; // removed by someone else meanwhile
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove {0}: {1}", root, e.getMessage());
            return false;
        }
    }
}
