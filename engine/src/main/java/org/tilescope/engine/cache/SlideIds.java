package org.tilescope.engine.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/** Stable slide identities: canonical path + size + modification time of the slide's descriptor. */
public final class SlideIds {
    /**
     * The safe (plain Java) implementation: the Unsafe one makes JDK 24+ print warnings at first
     * use and the JNI one warns without --enable-native-access; a key is ~100 bytes, so the 4-5x
     * they would save is under a microsecond (benchmarks/README.md, HashBenchmark).
     */
    private static final XXHash64 HASH = XXHashFactory.safeInstance().hash64();

    private SlideIds() {
    }

    /**
     * The id of the slide at {@code path}. A folder slide (FastPATH) is identified by its
     * metadata.json, which its writer rewrites whenever the tiles change.
     */
    public static long of(Path path) throws IOException {
        Path canonical = path.toRealPath();
        Path stamp = Files.isDirectory(canonical) && Files.isRegularFile(canonical.resolve("metadata.json"))
                ? canonical.resolve("metadata.json") : canonical;
        String key = canonical + "\u0000" + Files.size(stamp) + "\u0000"
                + Files.getLastModifiedTime(stamp).toMillis();
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return HASH.hash(bytes, 0, bytes.length, 0x7173_636f_7065L);
    }
}
