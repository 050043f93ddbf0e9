package org.tilescope.engine.library.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchPoolTest {
    @Test
    void batchesAreBoundedUrgentKeysGoFirstAndDuplicatesRunOnce() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (BatchPool<String> pool = new BatchPool<>("test", 1, 3, key -> {
            if (key.equals("first")) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return key;
        }, batches::add)) {
            pool.submit(List.of("first"));
            assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
            pool.submit(List.of("a", "b", "c", "d", "a"));
            pool.prioritize(List.of("d"));
            assertEquals(4, pool.queued());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!pool.idle() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(pool.idle());
        }
        List<String> all = new ArrayList<>();
        batches.forEach(all::addAll);
        assertEquals(List.of("first", "d", "a", "b", "c"), all);
        assertEquals(List.of(List.of("first"), List.of("d", "a", "b"), List.of("c")), batches);
    }

    @Test
    void aFailingItemDoesNotLoseTheBatch() throws Exception {
        List<String> results = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (BatchPool<String> pool = new BatchPool<>("test", 2, 64, key -> {
            if (key.equals("bad")) {
                throw new IllegalStateException("boom");
            }
            return key;
        }, r -> {
            results.addAll(r);
            if (results.contains("z")) {
                done.countDown();
            }
        })) {
            pool.submit(List.of("x", "bad", "z"));
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("x", "z"), results);
    }

    @Test
    void defaultSizeIsHalfTheCoresAtLeastTwo() {
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors() / 2), BatchPool.defaultThreads());
    }
}
