package org.tilescope.engine.library.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryStoreTest {
    @TempDir
    Path dir;

    static StoredSlide slide(long checksum) {
        return new StoredSlide("deepzoom", 4000, 3000, 13, 0.25, 40.0, 1234, 5678, 42, checksum, "4000x3000-00000000000000ff",
                List.of("/a/x.txt"), 10, -1, 0);
    }

    @Test
    void stateSurvivesReopen() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        s.apply(List.of(new Change.AddRoot("/a"), new Change.PutSlide("/a/x.dzi", slide(7)),
                new Change.EditTags("/a/x.dzi", List.of("teaching-set", "liver"), List.of()),
                new Change.SetNote("/a/x.dzi", "Stéatose, revue"), new Change.PutFailure("/a/bad.dzi", "empty file")));
        s.persist();
        LibraryStore t = LibraryStore.open(dir);
        assertEquals(List.of("/a"), t.read(StoreState::roots));
        assertEquals(slide(7), t.read(st -> st.slide("/a/x.dzi")));
        assertEquals(new UserData(List.of("liver", "teaching-set"), "Stéatose, revue"), t.read(st -> st.userData("/a/x.dzi")));
        assertEquals("empty file", t.read(st -> st.failures().get("/a/bad.dzi")));
        assertEquals(1, t.generation());
    }

    @Test
    void writesAlternateBetweenTheTwoSlots() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        s.apply(new Change.AddRoot("/one"));
        s.persist();
        s.apply(new Change.AddRoot("/two"));
        s.persist();
        long a = SlotFile.peekGeneration(dir.resolve(LibraryStore.SLOTS[0]));
        long b = SlotFile.peekGeneration(dir.resolve(LibraryStore.SLOTS[1]));
        assertEquals(Set.of(1L, 2L), Set.of(a, b));
        s.apply(new Change.AddRoot("/three"));
        s.persist();
        // the third write replaced generation 1, never the newest
        assertEquals(Set.of(2L, 3L), Set.of(SlotFile.peekGeneration(dir.resolve(LibraryStore.SLOTS[0])),
                SlotFile.peekGeneration(dir.resolve(LibraryStore.SLOTS[1]))));
    }

    @Test
    void corruptNewestSlotFallsBackToTheOther() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        s.apply(new Change.EditTags("/s.dzi", List.of("first"), List.of()));
        s.persist();
        s.apply(new Change.EditTags("/s.dzi", List.of("second"), List.of()));
        s.persist();
        Path newest = newestSlot();
        flipByte(newest, Files.size(newest) - 3);
        LibraryStore t = LibraryStore.open(dir);
        assertEquals(List.of("first"), t.read(st -> st.userData("/s.dzi").tags()));
        assertEquals(1, t.generation());
        // the next write goes over the corrupt slot, never the good one
        t.apply(new Change.EditTags("/s.dzi", List.of("third"), List.of()));
        t.persist();
        assertEquals(List.of("first", "third"), LibraryStore.open(dir).read(st -> st.userData("/s.dzi").tags()));
        assertEquals(3, SlotFile.peekGeneration(newest));
    }

    @Test
    void tornHeaderAndTruncatedSlotsAreSkipped() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        s.apply(new Change.AddRoot("/kept"));
        s.persist();
        s.apply(new Change.AddRoot("/lost"));
        s.persist();
        Path newest = newestSlot();
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.setLength(SlotFile.HEADER_BYTES + 5);
        }
        assertEquals(List.of("/kept"), LibraryStore.open(dir).read(StoreState::roots));
        flipByte(newest, 14); // generation field: checksum covers the header too
        assertEquals(List.of("/kept"), LibraryStore.open(dir).read(StoreState::roots));
        Files.write(newest, new byte[0]);
        assertEquals(List.of("/kept"), LibraryStore.open(dir).read(StoreState::roots));
    }

    @Test
    void bothSlotsCorruptGivesAnEmptyLibraryNotAnError() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        s.apply(new Change.AddRoot("/x"));
        s.persist();
        s.persist();
        for (String slot : LibraryStore.SLOTS) {
            flipByte(dir.resolve(slot), SlotFile.HEADER_BYTES + 2);
        }
        LibraryStore t = LibraryStore.open(dir);
        assertTrue(t.read(StoreState::roots).isEmpty());
        t.apply(new Change.AddRoot("/y"));
        t.persist();
        assertEquals(List.of("/y"), LibraryStore.open(dir).read(StoreState::roots));
    }

    @Test
    void twoStoresOnOneFolderMergeInsteadOfOverwriting() throws IOException {
        LibraryStore app = LibraryStore.open(dir);
        LibraryStore cli = LibraryStore.open(dir);
        app.apply(new Change.EditTags("/s.dzi", List.of("from-app"), List.of()));
        app.apply(new Change.PutSlide("/s.dzi", slide(1)));
        app.persist();
        cli.apply(new Change.EditTags("/s.dzi", List.of("from-cli"), List.of()));
        LibraryStore.Outcome o = cli.persist();
        assertEquals(Set.of("/s.dzi"), o.merged());
        assertEquals(List.of("from-app", "from-cli"), cli.read(st -> st.userData("/s.dzi").tags()));
        assertEquals(slide(1), cli.read(st -> st.slide("/s.dzi")));
        // the app sees the command line's tag on its next look, its own unwritten change on top
        app.apply(new Change.SetNote("/s.dzi", "typed in the app"));
        LibraryStore.Outcome synced = app.sync();
        assertEquals(Set.of("/s.dzi"), synced.merged());
        assertEquals(new UserData(List.of("from-app", "from-cli"), "typed in the app"), app.read(st -> st.userData("/s.dzi")));
        app.persist();
        assertEquals(new UserData(List.of("from-app", "from-cli"), "typed in the app"),
                LibraryStore.open(dir).read(st -> st.userData("/s.dzi")));
    }

    @Test
    void removalsReplayToo() throws IOException {
        LibraryStore a = LibraryStore.open(dir);
        LibraryStore b = LibraryStore.open(dir);
        a.apply(new Change.EditTags("/s.dzi", List.of("x", "y"), List.of()));
        a.persist();
        b.sync();
        b.apply(new Change.EditTags("/s.dzi", List.of(), List.of("x")));
        a.apply(new Change.EditTags("/s.dzi", List.of("z"), List.of()));
        a.persist();
        b.persist();
        assertEquals(List.of("y", "z"), LibraryStore.open(dir).read(st -> st.userData("/s.dzi").tags()));
    }

    @Test
    void durableSequenceFollowsWrites() throws IOException {
        LibraryStore s = LibraryStore.open(dir);
        long seq = s.apply(new Change.AddRoot("/r"));
        assertTrue(s.durableSeq() < seq);
        assertTrue(s.hasPending());
        s.persist();
        assertEquals(seq, s.durableSeq());
        assertFalse(s.hasPending());
    }

    private Path newestSlot() {
        Path a = dir.resolve(LibraryStore.SLOTS[0]);
        Path b = dir.resolve(LibraryStore.SLOTS[1]);
        assertNotEquals(SlotFile.peekGeneration(a), SlotFile.peekGeneration(b));
        return SlotFile.peekGeneration(a) > SlotFile.peekGeneration(b) ? a : b;
    }

    static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int v = f.read();
            f.seek(at);
            f.write(v ^ 0x5A);
        }
    }
}
