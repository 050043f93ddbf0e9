package org.tilescope.engine.cache;

import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Slide ids for cache keys: a hash of the identity a source gives itself (for a local slide its
 * canonical path, size and modification time), so the same slide at the same place keeps its
 * cached tiles across reopening, and a changed one gets new keys.
 */
public final class SlideIds {
    /**
     * The safe (plain Java) implementation: the Unsafe one makes JDK 24+ print warnings at first
     * use and the JNI one warns without --enable-native-access; a key is ~100 bytes, so the 4-5x
     * they would save is under a microsecond (benchmarks/README.md, HashBenchmark).
     */
    private static final XXHash64 HASH = XXHashFactory.safeInstance().hash64();

    private SlideIds() {
    }

    /** The id for a {@link org.tilescope.engine.slide.SlideSource#identity()}. */
    public static long of(String identity) {
        byte[] bytes = identity.getBytes(StandardCharsets.UTF_8);
        return HASH.hash(bytes, 0, bytes.length, 0x7173_636f_7065L);
    }
}
