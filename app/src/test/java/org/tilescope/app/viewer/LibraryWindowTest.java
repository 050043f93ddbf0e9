package org.tilescope.app.viewer;

import org.tilescope.app.library.DuplicatesDialog;
import org.tilescope.app.library.LibraryInfoPanel;
import org.tilescope.app.library.LibraryNavigator;
import org.tilescope.app.settings.Settings;
import org.tilescope.app.swing.Edt;
import org.tilescope.app.swing.EdtWatchdog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.engine.cache.CacheSizes;
import org.tilescope.engine.cache.TilePipeline;
import org.tilescope.engine.decode.TileDecoder;
import org.tilescope.engine.jobs.JobManager;
import org.tilescope.engine.library.LibraryFolders;
import org.tilescope.engine.library.SearchResult;

/**
 * The library in a real window (Xvfb in CI): search as you type finds words of a sidecar note,
 * tags show in the tag panel, a typed note outlives the library, the case goes to the clipboard,
 * copies go to the trash. The library lives in temporary folders (system properties
 * {@code tilescope.data} / {@code tilescope.cache} / {@code tilescope.trash}).
 */
class LibraryWindowTest {
    private static final String[] PROPERTIES = {"tilescope.data", "tilescope.cache", "tilescope.trash"};

    @TempDir
    Path dir;
    Path slides;
    TilePipeline pipeline;
    MainWindow window;
    EdtWatchdog watchdog;
    final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void needsDisplay() {
        ViewerWindowTest.needsDisplay();
    }

    @BeforeEach
    void open() throws Exception {
        ViewerWindowTest.VIOLATIONS.clear();
        System.setProperty("tilescope.data", dir.resolve("data").toString());
        System.setProperty("tilescope.cache", dir.resolve("cache").toString());
        System.setProperty("tilescope.trash", dir.resolve("trash").toString());
        slides = Files.createDirectories(dir.resolve("cases"));
        TestSlides.writeDzi(slides, "S24-0112_liver", 1200, 900, 256, 0);
        Files.writeString(slides.resolve("S24-0112_liver.txt"),
                "Liver biopsy. Macrovesicular steatosis, about 40% of hepatocytes; no fibrosis.");
        TestSlides.writeDzi(slides, "S24-0178_colon", 900, 600, 256, 0);
        Files.writeString(slides.resolve("S24-0178_colon.txt"), "Colon, tubular adenoma with low-grade dysplasia.");
        pipeline = new TilePipeline(new CacheSizes(128L << 20, 128L << 20), TileDecoder.standard(), 2, 4, 16);
        window = newWindow();
        watchdog = EdtWatchdog.install(); // every event from here on must leave the EDT within 250 ms
    }

    MainWindow newWindow() {
        Settings settings = new Settings(dir.resolve("config"));
        return Edt.call(() -> {
            MainWindow w = new MainWindow(pipeline, settings, new JobManager(2), LibraryFolders.fromEnvironment());
            w.setErrorDialog((title, msg) -> errors.add(title + ": " + msg));
            w.setSize(1300, 850);
            w.setVisible(true);
            return w;
        });
    }

    @AfterEach
    void close() {
        if (window != null) {
            closeWindow();
        }
        pipeline.close();
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
        if (watchdog != null) {
            watchdog.close();
            assertTrue(watchdog.stalls().isEmpty(), watchdog.report());
        }
        assertTrue(ViewerWindowTest.VIOLATIONS.isEmpty(), "Swing touched off the EDT: " + ViewerWindowTest.VIOLATIONS);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** Closes the window and waits until its library is written. */
    void closeWindow() {
        MainWindow w = window;
        window = null;
        Edt.call(() -> {
            w.dispose();
            return null;
        });
        ViewerWindowTest.waitFor(() -> w.library().closed() != null, "the library to start closing");
        w.library().closed().orTimeout(60, TimeUnit.SECONDS).join();
    }

    LibraryNavigator nav() {
        return window.library().navigator();
    }

    LibraryInfoPanel info() {
        return window.library().infoPanel();
    }

    void openFolderAndWaitForTheScan() {
        Edt.call(() -> window.open(slides));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null, "the folder's first slide");
        ViewerWindowTest.waitFor(() -> window.library().library().scanStatus() != null
                && window.library().library().scanStatus().done(), "the scan");
    }

    void type(String text) {
        Edt.call(() -> {
            nav().searchField().requestFocusInWindow();
            nav().searchField().setText("");
            for (char c : text.toCharArray()) {
                // one insert per key, as typing does: each starts a live query; the newest wins
                nav().searchField().getDocument().insertString(nav().searchField().getDocument().getLength(),
                        String.valueOf(c), null);
            }
            return null;
        });
    }

    List<String> hitNames() {
        return Edt.call(() -> nav().hits().stream().map(SearchResult.Hit::name).toList());
    }

    @Test
    void typingAWordOfASidecarNoteFindsTheSlideAndAClickOpensIt() throws Exception {
        openFolderAndWaitForTheScan();
        window.library().library().library().join().awaitIndexed().get(60, TimeUnit.SECONDS);
        type("steato");
        ViewerWindowTest.waitFor(() -> hitNames().equals(List.of("S24-0112_liver")), "steato* to find the liver slide");
        SearchResult.Hit hit = Edt.call(() -> nav().hits().getFirst());
        assertTrue(hit.snippet().substring(hit.matchStart(), hit.matchEnd()).toLowerCase().startsWith("steatosis"),
                hit.snippet());
        ViewerWindowTest.waitFor(() -> nav().statusText().startsWith("1 match"), "the status line to count the match");
        assertTrue(Edt.call(() -> nav().showingResults()));
        // the colon slide is shown first (the folder's first); the click opens the liver slide
        Edt.call(() -> {
            window.open(slides.resolve("S24-0178_colon.dzi"));
            return null;
        });
        ViewerWindowTest.waitFor(() -> window.pane().slide().path().getFileName().toString().equals("S24-0178_colon.dzi"),
                "the colon slide");
        Edt.call(() -> {
            window.library().navigator().searchField().requestFocusInWindow();
            return null;
        });
        Edt.call(() -> {
            javax.swing.JList<?> list = findResultList();
            list.setSelectedIndex(0);
            return null;
        });
        ViewerWindowTest.waitFor(() -> window.pane().slide().path().getFileName().toString().equals("S24-0112_liver.dzi"),
                "the clicked result to open");
        // nothing typed: the folder's slides again
        type("");
        assertTrue(!Edt.call(() -> nav().showingResults()));
        type("adenoma dysplas");
        ViewerWindowTest.waitFor(() -> hitNames().equals(List.of("S24-0178_colon")), "two words, the last a prefix");
        type("zzzqqq");
        ViewerWindowTest.waitFor(() -> nav().statusText().startsWith("nothing found"), "nothing found");
    }

    javax.swing.JList<?> findResultList() {
        List<javax.swing.JList<?>> lists = new java.util.ArrayList<>();
        collect(nav(), lists);
        for (javax.swing.JList<?> l : lists) {
            if (l.getModel().getSize() > 0 && l.getModel().getElementAt(0) instanceof SearchResult.Hit) {
                return l;
            }
        }
        throw new AssertionError("no result list");
    }

    static void collect(java.awt.Container c, List<javax.swing.JList<?>> out) {
        for (java.awt.Component k : c.getComponents()) {
            if (k instanceof javax.swing.JList<?> l) {
                out.add(l);
            }
            if (k instanceof java.awt.Container cc) {
                collect(cc, out);
            }
        }
    }

    @Test
    void tagsShowWithTheirCountsAndFilterTheResults() throws Exception {
        openFolderAndWaitForTheScan();
        ViewerWindowTest.waitFor(() -> info().loaded(), "the shown slide's library record");
        Edt.call(() -> {
            info().addTags("teaching-set, liver");
            return null;
        });
        ViewerWindowTest.waitFor(() -> nav().tagRows().contains(Map.entry("teaching-set", 1)), "teaching-set (1)");
        ViewerWindowTest.waitFor(() -> info().tagsText().equals("liver,teaching-set"), "the chips");
        Path other = Edt.call(() -> window.pane().slide().path()).getFileName().toString().startsWith("S24-0112")
                ? slides.resolve("S24-0178_colon.dzi") : slides.resolve("S24-0112_liver.dzi");
        Edt.call(() -> window.open(other));
        ViewerWindowTest.waitFor(() -> window.pane().slide().path().equals(other) && info().loaded()
                && info().tagsText().isEmpty(), "the other slide, untagged");
        Edt.call(() -> {
            info().addTags("teaching-set");
            return null;
        });
        ViewerWindowTest.waitFor(() -> nav().tagRows().equals(List.of(Map.entry("liver", 1), Map.entry("teaching-set", 2))),
                "teaching-set (2), liver (1)");
        Edt.call(() -> {
            nav().filterByTag("liver");
            return null;
        });
        ViewerWindowTest.waitFor(() -> hitNames().equals(List.of("S24-0112_liver")), "tag:liver to filter");
        assertEquals("tag:liver ", Edt.call(() -> nav().searchField().getText()));
    }

    @Test
    void aTypedNoteOutlivesTheLibraryAndTheCaseGoesToTheClipboard() throws Exception {
        openFolderAndWaitForTheScan();
        Edt.call(() -> window.open(slides.resolve("S24-0112_liver.dzi")));
        ViewerWindowTest.waitFor(() -> window.pane().slide().path().getFileName().toString().startsWith("S24-0112")
                && info().loaded(), "the liver slide's record");
        assertEquals("S24-0112_liver.txt", Edt.call(() -> info().sidecarsText()));
        ViewerWindowTest.waitFor(() -> info().tokensText().endsWith("(o200k_base)"), "the exact token count");
        Edt.call(() -> {
            info().noteArea().requestFocusInWindow();
            info().noteArea().setText("Second opinion: NAFLD activity score 4");
            return null;
        });
        ViewerWindowTest.waitFor(() -> info().messageText().equals("Note saved"), "the note to be saved after the pause");
        type("nafld");
        ViewerWindowTest.waitFor(() -> hitNames().equals(List.of("S24-0112_liver")), "the typed note to be searchable");

        Edt.call(() -> {
            info().copyContext();
            return null;
        });
        ViewerWindowTest.waitFor(() -> info().messageText().startsWith("Copied"), "the case on the clipboard");
        var context = window.library().copier().last();
        String clip = Edt.call(() -> (String) Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor));
        assertEquals(context.markdown(), clip);
        assertTrue(clip.contains("steatosis") && clip.contains("NAFLD"), clip);
        assertTrue(info().messageText().contains(String.format(java.util.Locale.ROOT, "%,d tokens", context.tokens())),
                info().messageText());

        // a note typed and not yet saved when the window closes is saved too
        Edt.call(() -> {
            info().noteArea().setText("Second opinion: NAFLD activity score 5");
            return null;
        });
        closeWindow();
        window = newWindow();
        Edt.call(() -> window.open(slides.resolve("S24-0112_liver.dzi")));
        ViewerWindowTest.waitFor(() -> window.pane().slide() != null && info().loaded(), "the record after reopening");
        assertEquals("Second opinion: NAFLD activity score 5", Edt.call(() -> info().noteArea().getText()));
    }

    @Test
    void duplicatesAreListedAndTheExtraCopyGoesToTheTrash() throws Exception {
        Files.copy(slides.resolve("S24-0112_liver.dzi"), slides.resolve("copy_of_liver.dzi"));
        Path from = slides.resolve("S24-0112_liver_files");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path to = slides.resolve("copy_of_liver_files").resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        openFolderAndWaitForTheScan();
        List<String> asked = new CopyOnWriteArrayList<>();
        DuplicatesDialog d = Edt.call(() -> {
            DuplicatesDialog dialog = DuplicatesDialog.create(window, window.library().library(), (parent, q) -> asked.add(q));
            dialog.setVisible(true);
            return dialog;
        });
        try {
            ViewerWindowTest.waitFor(() -> d.groups().size() == 1, "one group of copies");
            assertEquals(List.of(slides.resolve("S24-0112_liver.dzi"), slides.resolve("copy_of_liver.dzi")).stream()
                    .sorted().toList(), Edt.call(() -> d.groups().getFirst().paths()));
            Edt.call(() -> {
                d.moveExtras();
                return null;
            });
            ViewerWindowTest.waitFor(() -> d.report() != null, "the trash report");
            assertEquals(1, asked.size(), "asked once before moving");
            assertEquals(1, d.report().moved());
            assertTrue(d.summaryText().startsWith("Found 1 extra copy, moved 1 to the trash"), d.summaryText());
            assertTrue(Files.exists(slides.resolve("S24-0112_liver.dzi")), "the first copy by path stays");
            assertTrue(!Files.exists(slides.resolve("copy_of_liver.dzi")), "the extra copy is gone from the folder");
            try (Stream<Path> t = Files.walk(dir.resolve("trash"))) {
                assertTrue(t.anyMatch(p -> p.getFileName().toString().equals("copy_of_liver.dzi")), "and is in the trash");
            }
        } finally {
            Edt.call(() -> {
                d.dispose();
                return null;
            });
        }
    }
}
