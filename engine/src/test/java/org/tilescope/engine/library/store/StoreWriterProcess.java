package org.tilescope.engine.library.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for the store tests: opens the store, waits for "go" on stdin, then tags slides
 * one durable write at a time and prints "ack N" after each write is on disk.
 *
 * <p>Arguments: folder, tag prefix, first number, count (count -1: until killed).
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {
    }

    static final int SLIDES = 37;

    static String slide(long i) {
        return "/library/slide-" + (i % SLIDES) + ".dzi";
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        long first = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        LibraryStore store = LibraryStore.open(dir);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            return;
        }
        for (long i = first; count < 0 || i < first + count; i++) {
            store.apply(new Change.EditTags(slide(i), List.of(prefix + i), List.of()));
            if (i % 3 == 0) {
                store.apply(new Change.SetNote(slide(i), "note " + prefix + i));
            }
            store.persist();
            out.println("ack " + i);
        }
        out.println("done");
    }
}
