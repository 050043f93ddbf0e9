package org.tilescope.engine.library.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A slide the walk found, before it is opened: where it is, its descriptor and sidecars with
 * their sizes and times as the listing saw them.
 *
 * @param slide      the slide's path (a file, or a FastPATH folder)
 * @param folder     whether the slide is a folder
 * @param descriptor the file that describes it: the .dzi, metadata.json, or the TIFF itself
 * @param sidecars   notes and annotation files, in a stable order
 */
public record Candidate(Path slide, boolean folder, FileStat descriptor, List<FileStat> sidecars) {

    public Candidate {
        sidecars = List.copyOf(sidecars);
    }

    /** A file's size and modification time; size -1 when it could not be read. */
    public record FileStat(Path path, long size, long modified) {
        static FileStat of(Path path, BasicFileAttributes a) {
            return new FileStat(path, a.size(), a.lastModifiedTime().toMillis());
        }

        static FileStat read(Path path) {
            try {
                return of(path, Files.readAttributes(path, BasicFileAttributes.class));
            } catch (IOException e) {
                return new FileStat(path, -1, 0);
            }
        }
    }

    /**
     * xxHash64 of the names, sizes and times of the descriptor and the sidecars: when a rescan
     * finds the key it stored, nothing is read.
     */
    public long statKey() {
        XXHash64 h = XXHashFactory.safeInstance().hash64();
        long key = 0x5354_4154L;
        for (FileStat f : all()) {
            byte[] name = f.path().toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(name.length + 16).put(name).putLong(f.size()).putLong(f.modified());
            key = h.hash(b.array(), 0, b.capacity(), key);
        }
        return key;
    }

    List<FileStat> all() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(descriptor), sidecars.stream()).toList();
    }
}
