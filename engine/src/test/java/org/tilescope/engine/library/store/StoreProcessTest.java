package org.tilescope.engine.library.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store across real processes: two writers at once lose nothing, and a writer killed with
 * SIGKILL at random moments never loses an acknowledged write.
 */
class StoreProcessTest {
    /**
     * Kills in {@link #killNineNeverLosesAnAcknowledgedWrite}. The issue asks for 100: run with
     * {@code -Dtilescope.kill9.iterations=100} (about 90 s on a busy 2-core machine, a JVM start
     * per kill); the default keeps the suite near 20 s.
     */
    static final int KILLS = Integer.getInteger("tilescope.kill9.iterations", 20);

    @TempDir
    Path dir;

    /** One child JVM and what it has acknowledged. */
    static final class Child {
        final Process process;
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch firstAck = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final StringBuilder other = new StringBuilder();

        Child(Path dir, String prefix, long first, long count) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    StoreWriterProcess.class.getName(), dir.toString(), prefix, Long.toString(first), Long.toString(count)));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("ready")) {
                            ready.countDown();
                        } else if (line.startsWith("ack ")) {
                            acked.add(Long.parseLong(line.substring(4)));
                            firstAck.countDown();
                        } else {
                            synchronized (other) {
                                other.append(line).append('\n');
                            }
                        }
                    }
                } catch (IOException e) {
                    // the pipe breaks when the child is killed
                } finally {
                    ended.countDown();
                }
            });
        }

        void go() throws Exception {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("writer did not start: " + output());
            }
            Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write("go\n");
            w.flush();
        }

        String output() {
            synchronized (other) {
                return other.toString();
            }
        }

        /** SIGKILL on Unix: no shutdown hooks, no flushes, the process just stops. */
        void kill() throws Exception {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            ended.await(30, TimeUnit.SECONDS);
        }
    }

    static boolean hasTag(LibraryStore s, String slide, String tag) {
        List<String> tags = s.read(st -> st.userData(slide).tags());
        return tags.contains(tag);
    }

    @Test
    void twoProcessesTaggingAtOnceLoseNothing() throws Exception {
        int each = 150;
        Child a = new Child(dir, "a", 0, each);
        Child b = new Child(dir, "b", 0, each);
        a.go();
        b.go();
        assertTrue(a.process.waitFor(120, TimeUnit.SECONDS), "writer a did not finish");
        assertTrue(b.process.waitFor(120, TimeUnit.SECONDS), "writer b did not finish");
        a.ended.await(10, TimeUnit.SECONDS);
        b.ended.await(10, TimeUnit.SECONDS);
        assertEquals(0, a.process.exitValue(), a.output());
        assertEquals(0, b.process.exitValue(), b.output());
        assertEquals(each, a.acked.size());
        assertEquals(each, b.acked.size());
        LibraryStore s = LibraryStore.open(dir);
        for (long i = 0; i < each; i++) {
            for (String prefix : List.of("a", "b")) {
                String slide = StoreWriterProcess.slide(i);
                String tag = prefix + i;
                assertTrue(hasTag(s, slide, tag), tag + " lost on " + slide);
            }
        }
    }

    /**
     * A writer is killed with SIGKILL at a random moment of its write loop, {@value}-ish times
     * (system property {@code tilescope.kill9.iterations}). After each kill the store loads and
     * every write the writer acknowledged is in it. The next writer is started while the
     * current one runs, so a JVM start is not paid per kill.
     */
    @Test
    void killNineNeverLosesAnAcknowledgedWrite() throws Exception {
        Random random = new Random(20_251_130L);
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        int tornSlots = 0;
        long next = 0;
        final long stride = 1_000_000;
        Child current = new Child(dir, "t", next, -1);
        current.go();
        for (int kill = 0; kill < KILLS; kill++) {
            Child following = new Child(dir, "t", (kill + 1) * stride, -1);
            if (!current.firstAck.await(60, TimeUnit.SECONDS)) {
                current.kill();
                fail("writer made no write: " + current.output());
            }
            Thread.sleep(random.nextInt(40));
            current.kill();
            acked.addAll(current.acked);
            for (String slot : LibraryStore.SLOTS) {
                if (SlotFile.read(dir.resolve(slot)) instanceof SlotFile.ReadResult.Invalid) {
                    tornSlots++;
                }
            }
            LibraryStore s = LibraryStore.open(dir);
            for (long i : current.acked) {
                String slide = StoreWriterProcess.slide(i);
                String tag = "t" + i;
                assertTrue(hasTag(s, slide, tag), "kill " + kill + ": acknowledged " + tag + " lost");
                if (i % 3 == 0) {
                    // a note is last-writer-wins, so only check it is some acknowledged writer's note
                    String note = s.read(st -> st.userData(slide).note());
                    assertTrue(note.startsWith("note t"), note);
                }
            }
            current = following;
            current.go();
        }
        current.kill();
        acked.addAll(current.acked);
        LibraryStore s = LibraryStore.open(dir);
        for (long i : acked) {
            String slide = StoreWriterProcess.slide(i);
            assertTrue(hasTag(s, slide, "t" + i), "t" + i + " lost");
        }
        // how many kills landed inside a write (the slot being written was left torn)
        System.out.printf("kill -9: %d kills, %d acknowledged writes, %d left a torn slot behind, none lost%n",
                KILLS, acked.size(), tornSlots);
        assertTrue(acked.size() >= KILLS, "only " + acked.size() + " acknowledged writes in " + KILLS + " runs");
    }
}
