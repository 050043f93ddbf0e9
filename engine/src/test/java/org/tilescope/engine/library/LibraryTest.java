package org.tilescope.engine.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.engine.library.LibraryTestSupport.dzi;
import static org.tilescope.engine.library.LibraryTestSupport.names;
import static org.tilescope.engine.library.LibraryTestSupport.note;
import static org.tilescope.engine.library.LibraryTestSupport.scan;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.library.text.SlideText;

class LibraryTest {
    @TempDir
    Path tmp;

    LibraryFolders folders() {
        return LibraryFolders.under(tmp.resolve("home"));
    }

    @Test
    void scanFindsSlidesSidecarsAndListsFailures() throws Exception {
        Path root = tmp.resolve("slides");
        Path liver = dzi(root.resolve("cases"), "S24-1107_liver_HE", 300, 200);
        note(root.resolve("cases"), "S24-1107_liver_HE.txt", "Moderate macrovesicular steatosis.");
        note(root.resolve("cases"), "S24-1107_liver_HE.geojson", """
                {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},
                 "properties":{"name":"Fatty area","classification":{"name":"Steatosis","color":[1,2,3]}}}]}""");
        dzi(root, "other", 260, 190);
        Files.writeString(root.resolve("broken.dzi"), "<Image");
        try (Library lib = Library.open(folders())) {
            ScanReport r = scan(lib, root);
            assertEquals(2, r.slides());
            assertEquals(2, r.tokenized());
            assertEquals(0, r.skipped());
            assertEquals(1, r.failed());
            assertEquals(root.resolve("broken.dzi").toAbsolutePath(), r.failures().getFirst().path());
            assertFalse(r.failures().getFirst().reason().isBlank());
            LibrarySlide s = lib.slide(liver).orElseThrow();
            assertEquals("S24-1107_liver_HE", s.name());
            assertEquals("deepzoom", s.format());
            assertEquals(300, s.width());
            assertEquals(200, s.height());
            assertEquals(2, s.sidecars().size());
            assertTrue(s.fingerprint().isPresent());
            assertTrue(s.bytes() > Files.size(liver), "tiles count toward bytes on disk");
            assertTrue(s.tokens().isExact());
            assertEquals(List.of(root.toAbsolutePath()), lib.roots());
            assertEquals(1, lib.failures().size());
            // annotation names and classes are searchable
            assertEquals(List.of("S24-1107_liver_HE"), names(lib.search(SearchQuery.of("fatty"))));
        }
    }

    @Test
    void rescanTokenizesOnlyWhatChanged() throws Exception {
        Path root = tmp.resolve("slides");
        for (int i = 0; i < 5; i++) {
            dzi(root, "slide" + i, 200 + i, 150);
            note(root, "slide" + i + ".txt", "note number " + i);
        }
        try (Library lib = Library.open(folders())) {
            assertEquals(5, scan(lib, root).tokenized());
            ScanReport again = scan(lib, root);
            assertEquals(5, again.slides());
            assertEquals(0, again.tokenized());
            assertEquals(5, again.skipped());
            note(root, "slide3.txt", "note number three, now about fibrosis");
            ScanReport changed = scan(lib, root);
            assertEquals(1, changed.tokenized());
            assertEquals(4, changed.skipped());
            assertEquals(List.of("slide3"), names(lib.search(SearchQuery.of("fibrosis"))));
        }
        // across runs: a new process finds nothing to tokenize
        try (Library lib = Library.open(folders())) {
            ScanReport r = scan(lib, root);
            assertEquals(0, r.tokenized());
            assertEquals(5, r.skipped());
        }
    }

    @Test
    void exactCountsEqualJTokkit() throws Exception {
        Path root = tmp.resolve("slides");
        Path slide = dzi(root, "C24-0203_breast_ER", 220, 160);
        note(root, "C24-0203_breast_ER.md", "# C24-0203 — breast core\n- **ER**: positive, ~90% (Allred 8). Señal nuclear difusa.\n");
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            LibrarySlide s = lib.slide(slide).orElseThrow();
            SlideText text = SlideText.read(slide, new org.tilescope.engine.library.store.StoredSlide(s.format(), s.width(),
                    s.height(), s.levels(), null, null, 0, 0, 0, 0, null,
                    s.sidecars().stream().map(Path::toString).toList(), 0, -1, 0), org.tilescope.engine.library.store.UserData.EMPTY);
            int jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE)
                    .countTokensOrdinary(text.joined());
            assertEquals(jtokkit, s.tokens().exact());
            assertEquals(Math.ceilDiv(text.joined().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, 4),
                    s.tokens().estimate());
            CaseContext ctx = lib.context(slide);
            assertTrue(ctx.markdown().contains("Señal nuclear difusa"), ctx.markdown());
            assertTrue(ctx.markdown().startsWith("# C24-0203_breast_ER"), ctx.markdown());
            assertEquals(Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE)
                    .countTokensOrdinary(ctx.markdown()), ctx.tokens());
            assertEquals("o200k_base", ctx.encoding());
        }
    }

    @Test
    void tagsAndNotesSurviveRestartAndCount() throws Exception {
        Path root = tmp.resolve("slides");
        Path a = dzi(root, "a", 200, 150);
        Path b = dzi(root, "b", 210, 150);
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            lib.editTags(a, List.of("Teaching-Set", "liver"), List.of()).get(10, TimeUnit.SECONDS);
            lib.editTags(b, List.of("teaching-set"), List.of()).get(10, TimeUnit.SECONDS);
            lib.setNote(b, "Stéatose marquée, revoir").get(10, TimeUnit.SECONDS);
            assertEquals(Map.of("liver", 1, "teaching-set", 2), lib.tagCounts());
            // searchable at once
            assertEquals(List.of("a", "b"), names(lib.search(SearchQuery.of("tag:teaching-set"))).stream().sorted().toList());
        }
        try (Library lib = Library.open(folders())) {
            assertEquals(Map.of("liver", 1, "teaching-set", 2), lib.tagCounts());
            assertEquals(List.of("liver", "teaching-set"), lib.slide(a).orElseThrow().tags());
            assertEquals("Stéatose marquée, revoir", lib.slide(b).orElseThrow().note());
            lib.awaitIndexed().get(30, TimeUnit.SECONDS);
            assertEquals(List.of("b"), names(lib.search(SearchQuery.of("steatose"))));
            lib.editTags(a, List.of(), List.of("liver")).get(10, TimeUnit.SECONDS);
            lib.awaitIndexed().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), names(lib.search(SearchQuery.of("tag:liver"))));
        }
        try (Library lib = Library.open(folders())) {
            assertEquals(Map.of("teaching-set", 2), lib.tagCounts());
        }
    }

    @Test
    void badTagsAreRefused() throws Exception {
        try (Library lib = Library.open(folders())) {
            Path s = tmp.resolve("x.dzi");
            for (String bad : List.of("", "  ", "two words", "a,b", "q\"uote")) {
                try {
                    lib.editTags(s, List.of(bad), List.of());
                    throw new AssertionError("accepted " + bad);
                } catch (IllegalArgumentException expected) {
                    assertFalse(expected.getMessage().isBlank());
                }
            }
        }
    }

    @Test
    void duplicatesFoundAfterCopyAndRenameAndMovedToTrash() throws Exception {
        Path root = tmp.resolve("slides");
        Path original = dzi(root, "case1", 240, 170);
        dzi(root, "unrelated", 250, 170);
        Path copies = Files.createDirectories(root.resolve("copies"));
        copyDzi(original, copies.resolve("case1.dzi"));
        copyDzi(original, copies.resolve("renamed.dzi"));
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            List<DuplicateGroup> groups = lib.duplicates();
            assertEquals(1, groups.size());
            DuplicateGroup g = groups.getFirst();
            assertEquals(3, g.paths().size());
            assertEquals(root.resolve("case1.dzi").toAbsolutePath(), g.kept());
            long each = lib.slide(original).orElseThrow().bytes();
            assertEquals(2 * each, g.wastedBytes());
            TrashReport t = lib.moveExtraCopiesToTrash(groups);
            assertEquals(2, t.found());
            assertEquals(2, t.moved());
            assertEquals(2 * each, t.bytesSaved());
            assertTrue(t.failures().isEmpty(), t.failures().toString());
            assertTrue(Files.exists(original), "the first copy stays");
            assertFalse(Files.exists(copies.resolve("renamed.dzi")));
            assertFalse(Files.exists(copies.resolve("renamed_files")));
            Path trash = folders().trashOverride().orElseThrow();
            assertTrue(Files.exists(trash.resolve("files").resolve("renamed.dzi")));
            assertTrue(Files.exists(trash.resolve("files").resolve("renamed_files")));
            assertTrue(Files.readString(trash.resolve("info").resolve("renamed.dzi.trashinfo")).contains("Path="));
            // the two case1.dzi copies share a name: the second gets another name in the trash
            assertTrue(Files.exists(trash.resolve("files").resolve("case1.dzi")));
            assertTrue(lib.duplicates().isEmpty());
            assertEquals(2, lib.slides().size());
        }
    }

    static void copyDzi(Path dzi, Path target) throws java.io.IOException {
        Files.copy(dzi, target);
        Path files = dzi.resolveSibling(dzi.getFileName().toString().replace(".dzi", "_files"));
        Path targetFiles = target.resolveSibling(target.getFileName().toString().replace(".dzi", "_files"));
        try (var walk = Files.walk(files)) {
            for (Path p : walk.toList()) {
                Path t = targetFiles.resolve(files.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void symlinkLoopEnds() throws Exception {
        Path root = tmp.resolve("slides");
        Path sub = Files.createDirectories(root.resolve("sub"));
        dzi(sub, "only", 200, 150);
        Files.createSymbolicLink(sub.resolve("back-to-root"), root);
        Files.createSymbolicLink(sub.resolve("self"), sub);
        try (Library lib = Library.open(folders())) {
            ScanReport r = scan(lib, root);
            assertEquals(1, r.slides(), "a folder that links to its parent is visited once");
            assertEquals(1, lib.slides().size());
        }
    }

    @Test
    void slidesThatDisappearAreRemovedOnRescan() throws Exception {
        Path root = tmp.resolve("slides");
        Path a = dzi(root, "a", 200, 150);
        dzi(root, "b", 210, 150);
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            lib.editTags(a, List.of("keep"), List.of()).get(10, TimeUnit.SECONDS);
            Files.delete(a);
            ScanReport r = scan(lib, root);
            assertEquals(1, r.removed());
            assertEquals(List.of("b"), lib.slides().stream().map(LibrarySlide::name).toList());
            assertEquals(List.of(), names(lib.search(SearchQuery.of("a"))).stream().filter("a"::equals).toList());
            assertEquals(Map.of("keep", 1), lib.tagCounts(), "user data outlives the file");
        }
    }

    @Test
    void bigAndInvalidNotesAreBoundedWithAWarning() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "big", 200, 150);
        dzi(root, "latin1", 210, 150);
        Path big = root.resolve("big.txt");
        try (var out = Files.newBufferedWriter(big)) {
            out.write("steatosis at the start. ");
            String line = "filler words that repeat to make a fifty megabyte note ".repeat(20) + "\n";
            for (long written = 0; written < 50L << 20; written += line.length()) {
                out.write(line);
            }
            out.write("needle-at-the-end");
        }
        Files.write(root.resolve("latin1.txt"), "St\u00e9atose marqu\u00e9e".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try (Library lib = Library.open(folders())) {
            ScanReport r = scan(lib, root);
            assertEquals(2, r.tokenized());
            Set<String> warnings = Set.copyOf(r.warnings());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("big.txt") && w.contains("first 1.0 MB")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("latin1.txt") && w.contains("UTF-8")), warnings.toString());
            assertEquals(List.of("big"), names(lib.search(SearchQuery.of("steatosis"))));
            assertEquals(List.of(), names(lib.search(SearchQuery.of("needle-at-the-end"))).stream()
                    .filter("big"::equals).toList(), "past the first MB is not indexed");
            assertTrue(lib.slide(root.resolve("big.dzi")).orElseThrow().tokens().exact() < 400_000);
        }
    }

    @Test
    void thumbnailsAreCachedByFingerprint() throws Exception {
        Path root = tmp.resolve("slides");
        Path s = dzi(root, "thumb", 300, 200);
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            Path file = lib.thumbnail(s).get(60, TimeUnit.SECONDS).orElseThrow();
            String fp = lib.slide(s).orElseThrow().fingerprint().orElseThrow().toString();
            String hex = fp.substring(fp.indexOf('-') + 1);
            assertEquals(folders().thumbnails().resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(fp + ".jpg"), file);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(file.toFile());
            assertEquals(256, Math.max(img.getWidth(), img.getHeight()));
        }
    }

    @Test
    void indexIsRebuiltFromTheStoreWhenMissing() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "C24-0112_liver_HE", 200, 150);
        note(root, "C24-0112_liver_HE.txt", "Moderate macrovesicular steatosis");
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
        }
        Path search = folders().data().resolve("search");
        try (var walk = Files.walk(search)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Library lib = Library.open(folders())) {
            lib.awaitIndexed().get(60, TimeUnit.SECONDS);
            assertFalse(lib.indexReloading());
            assertEquals(List.of("C24-0112_liver_HE"), names(lib.search(SearchQuery.of("steatosis"))));
        }
    }

    @Test
    void reloadIsSingleFlightAndTellsListenersOnce() throws Exception {
        Path root = tmp.resolve("slides");
        for (int i = 0; i < 4; i++) {
            dzi(root, "r" + i, 200 + i, 150);
            note(root, "r" + i + ".txt", "hepatocyte " + i);
        }
        try (Library lib = Library.open(folders())) {
            scan(lib, root);
            List<LibraryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            var second = new java.util.concurrent.CompletableFuture<java.util.concurrent.CompletableFuture<Void>>();
            lib.addListener(e -> {
                events.add(e);
                // asked again while the first reload is surely running
                if (e instanceof LibraryEvent.IndexReloading && !second.isDone()) {
                    second.complete(lib.reloadIndex());
                }
            });
            var first = lib.reloadIndex();
            first.get(60, TimeUnit.SECONDS);
            second.get(60, TimeUnit.SECONDS).get(60, TimeUnit.SECONDS);
            assertEquals(1, events.stream().filter(e -> e instanceof LibraryEvent.IndexReloading).count());
            assertEquals(1, events.stream().filter(e -> e instanceof LibraryEvent.IndexReloaded).count());
            assertEquals(4, lib.search(SearchQuery.of("hepatocyte")).hits().size());
            assertFalse(lib.indexReloading());
        }
    }

    @Test
    void searchWorksWhileAnotherLibraryHoldsTheIndex() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "shared", 200, 150);
        note(root, "shared.txt", "portal inflammation");
        try (Library app = Library.open(folders())) {
            scan(app, root);
            try (Library cli = Library.open(folders())) {
                cli.awaitIndexed().get(60, TimeUnit.SECONDS);
                assertEquals(List.of("shared"), names(cli.search(SearchQuery.of("inflammation"))));
                cli.editTags(root.resolve("shared.dzi"), List.of("from-cli"), List.of()).get(10, TimeUnit.SECONDS);
            }
            // the app takes in the other writer's tag within its sync interval
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && names(app.search(SearchQuery.of("tag:from-cli"))).isEmpty()) {
                Thread.sleep(100);
            }
            assertEquals(List.of("shared"), names(app.search(SearchQuery.of("tag:from-cli"))));
        }
    }

    @Test
    void aScanShowsAsTwoJobsThatEnd() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "j1", 200, 150);
        note(root, "j1.txt", "job test");
        try (Library lib = Library.open(folders());
             org.tilescope.engine.jobs.JobManager jobs = new org.tilescope.engine.jobs.JobManager(2)) {
            LibraryScan scan = lib.scan(List.of(root), jobs);
            ScanReport r = scan.report().get(60, TimeUnit.SECONDS);
            assertEquals(1, r.slides());
            assertTrue(scan.status().done());
            assertEquals("1 slide", scan.status().describe());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // snapshots are published every 150 ms or so: wait for the final ones
            while (System.nanoTime() < deadline && jobs.snapshots().stream().anyMatch(j -> !j.state().isFinal())) {
                Thread.sleep(20);
            }
            Map<String, org.tilescope.engine.jobs.JobState> states = jobs.snapshots().stream().collect(Collectors.toMap(
                    org.tilescope.engine.jobs.JobSnapshot::kind, org.tilescope.engine.jobs.JobSnapshot::state));
            assertEquals(Map.of("library-scan", org.tilescope.engine.jobs.JobState.DONE,
                    "library-tokenize", org.tilescope.engine.jobs.JobState.DONE), states);
        }
    }

    @Test
    void eventsTellListenersAboutNewSlides() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "e1", 200, 150);
        try (Library lib = Library.open(folders())) {
            Set<Path> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            lib.addListener(e -> {
                if (e instanceof LibraryEvent.SlidesChanged c) {
                    seen.addAll(c.paths());
                }
            });
            scan(lib, root);
            assertTrue(seen.contains(root.resolve("e1.dzi").toAbsolutePath()), seen.stream().map(Path::toString)
                    .collect(Collectors.joining(", ")));
        }
    }
}
