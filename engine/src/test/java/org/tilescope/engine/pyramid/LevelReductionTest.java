package org.tilescope.engine.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed 2x2 reduction gives what averaging channel by channel gives, rounding included. */
class LevelReductionTest {

    private static int channelByChannel(int p, int q, int r, int s) {
        int out = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int sum = ((p >> shift) & 0xFF) + ((q >> shift) & 0xFF) + ((r >> shift) & 0xFF) + ((s >> shift) & 0xFF);
            out |= ((sum + 2) >> 2) << shift;
        }
        return out;
    }

    @Test
    void packedSumsEqualChannelSumsForRandomExtremeAndOddRows() {
        Random rnd = new Random(12);
        for (int width : new int[] {1, 2, 7, 254, 1001}) {
            int[] a = new int[width];
            int[] b = new int[width + 5];
            for (int i = 0; i < width; i++) {
                // extremes (0x00, 0xFF, a set top byte) as often as random values
                a[i] = switch (rnd.nextInt(4)) {
                    case 0 -> 0xFFFFFFFF;
                    case 1 -> 0;
                    default -> rnd.nextInt();
                };
                b[5 + i] = rnd.nextInt(3) == 0 ? 0xFF00FF00 | rnd.nextInt(256) : rnd.nextInt();
            }
            int[] want = new int[(width + 1) / 2];
            for (int x = 0; x < want.length; x++) {
                int x1 = Math.min(2 * x + 1, width - 1);
                want[x] = channelByChannel(a[2 * x], a[x1], b[5 + 2 * x], b[5 + x1]);
            }
            int[] got = new int[want.length];
            LevelBuilder.reduceRows(a, b, 5, width, got);
            assertArrayEquals(want, got, "width " + width);
        }
    }
}
