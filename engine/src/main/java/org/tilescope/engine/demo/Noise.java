package org.tilescope.engine.demo;

/**
 * Hashing, a tiny seedable generator and smooth value noise: everything the demo picture is made
 * of is a pure function of coordinates and a seed, so any tile can be painted alone, in any order,
 * on any thread, and comes out the same.
 */
final class Noise {
    private Noise() {
    }

    static int hash(int x, int y, int seed) {
        int h = seed ^ (x * 0x27D4EB2D) ^ (y * 0x165667B1);
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        h *= 0x297A2D39;
        h ^= h >>> 15;
        return h;
    }

    /** A 64-bit seed for one grid cell of one feature layer. */
    static long cellSeed(int cx, int cy, long salt) {
        return mix64(((long) cx << 32) ^ (cy & 0xFFFFFFFFL) ^ mix64(salt));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Value noise in [0, 1] with unit lattice spacing, C1-smooth. */
    static float value(float x, float y, int seed) {
        int ix = (int) x;
        if (x < ix) {
            ix--;
        }
        int iy = (int) y;
        if (y < iy) {
            iy--;
        }
        float fx = x - ix;
        float fy = y - iy;
        float ux = fx * fx * (3 - 2 * fx);
        float uy = fy * fy * (3 - 2 * fy);
        float a = lattice(ix, iy, seed);
        float b = lattice(ix + 1, iy, seed);
        float c = lattice(ix, iy + 1, seed);
        float d = lattice(ix + 1, iy + 1, seed);
        return a + (b - a) * ux + (c - a) * uy + (a - b - c + d) * ux * uy;
    }

    private static float lattice(int x, int y, int seed) {
        return (hash(x, y, seed) >>> 8) * 0x1p-24f;
    }

    /**
     * Fractal sum of value noise in [0, 1]. Each octave is rotated against the last so the
     * lattice's axis-aligned grain does not add up into visible streaks.
     */
    static float fbm(float x, float y, int octaves, int seed) {
        float sum = 0;
        float amp = 1;
        float norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * value(x, y, seed + o * 1013);
            norm += amp;
            amp *= 0.5f;
            float nx = 1.6f * x - 1.2f * y;
            y = 1.2f * x + 1.6f * y;
            x = nx;
        }
        return sum / norm;
    }

    static float smoothstep(float e0, float e1, float x) {
        float t = clamp01((x - e0) / (e1 - e0));
        return t * t * (3 - 2 * t);
    }

    static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /** Splitmix64: small, fast, and its whole state is one long, so reseeding per cell is free. */
    static final class Rng {
        private long state;

        void seed(long seed) {
            state = seed;
        }

        /** Uniform in [0, 1). */
        float next() {
            state += 0x9E3779B97F4A7C15L;
            return (mix64(state) >>> 40) * 0x1p-24f;
        }

        float range(float lo, float hi) {
            return lo + (hi - lo) * next();
        }

        long nextLong() {
            state += 0x9E3779B97F4A7C15L;
            return mix64(state);
        }
    }
}
