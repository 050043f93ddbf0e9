package org.tilescope.engine.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tilescope.engine.library.LibraryTestSupport.dzi;
import static org.tilescope.engine.library.LibraryTestSupport.names;
import static org.tilescope.engine.library.LibraryTestSupport.note;
import static org.tilescope.engine.library.LibraryTestSupport.scan;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.engine.testing.Fixtures;

/** Search semantics over a small library: accents, case IDs, phrases, prefixes, AND, filters, fuzzy, ranking. */
class LibrarySearchTest {
    @TempDir
    static Path tmp;
    static Library lib;

    @BeforeAll
    static void build() throws Exception {
        Path root = tmp.resolve("slides");
        dzi(root, "S24-1107_liver_HE", 200, 150);
        note(root, "S24-1107_liver_HE.txt", "Liver core biopsy.\nModerate macrovesicular steatosis, mild portal inflammation.");
        dzi(root, "C24-0300_liver_PAS", 210, 150);
        note(root, "C24-0300_liver_PAS.md", "# PAS\nStéatose marquée. Compare with S24-1107 from last year.");
        dzi(root, "steatosis_teaching", 220, 150);
        dzi(root, "kidney_HE", 230, 150);
        note(root, "kidney_HE.txt", "Glomeruli unremarkable. No inflammation; see steatosis elsewhere? no.");
        Fixtures.fastPath(root.resolve("gastric.fastpath"), Fixtures.drawSource(240, 150), 64, 3,
                Fixtures.FastPathLayout.PACK_V2);
        note(root, "gastric.txt", "Chronic gastritis, Helicobacter organisms.");
        lib = Library.open(LibraryFolders.under(tmp.resolve("home")));
        ScanReport r = scan(lib, root);
        assertEquals(5, r.slides(), r.toString());
        lib.editTags(root.resolve("S24-1107_liver_HE.dzi"), List.of("teaching-set"), List.of()).get(10, TimeUnit.SECONDS);
        lib.editTags(root.resolve("gastric.fastpath"), List.of("teaching-set", "gi"), List.of()).get(10, TimeUnit.SECONDS);
        lib.awaitIndexed().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() throws Exception {
        lib.close();
    }

    static List<String> find(String q) {
        return names(lib.search(SearchQuery.of(q)));
    }

    static Set<String> findSet(String q) {
        return Set.copyOf(find(q));
    }

    @Test
    void accentsAndCaseFold() {
        assertEquals(List.of("C24-0300_liver_PAS"), find("steatose"));
        assertEquals(List.of("C24-0300_liver_PAS"), find("STÉATOSE"));
        assertEquals(List.of("C24-0300_liver_PAS"), find("marquee"));
    }

    @Test
    void caseIdsMatchWholeAndByParts() {
        // whole: the slide named with it first, the note that mentions it after
        assertEquals(List.of("S24-1107_liver_HE", "C24-0300_liver_PAS"), find("S24-1107"));
        assertEquals(Set.of("S24-1107_liver_HE", "C24-0300_liver_PAS"), findSet("1107"));
        assertEquals(Set.of("S24-1107_liver_HE", "C24-0300_liver_PAS"), findSet("s24"));
        assertEquals(List.of("C24-0300_liver_PAS"), find("C24-0300"));
        assertEquals(List.of(), find("S24-0300"));
    }

    @Test
    void severalWordsMustAllMatch() {
        assertEquals(List.of("S24-1107_liver_HE"), find("steatosis portal"));
        assertEquals(List.of("S24-1107_liver_HE"), find("liver inflammation"));
    }

    @Test
    void quotedTextIsAPhrase() {
        assertEquals(List.of("S24-1107_liver_HE"), find("\"mild portal inflammation\""));
        // the same words in another order are not the phrase (and a phrase is not made fuzzy)
        assertEquals(List.of(), find("\"portal mild\""));
        assertEquals(List.of("S24-1107_liver_HE"), find("portal mild"));
    }

    @Test
    void lastWordIsAPrefixWhenTypedLive() {
        // steato* finds steatosis, and Stéatose folded
        assertEquals(Set.of("S24-1107_liver_HE", "steatosis_teaching", "kidney_HE", "C24-0300_liver_PAS"),
                Set.copyOf(names(lib.search(SearchQuery.live("steato")))));
        assertEquals(Set.of("S24-1107_liver_HE", "C24-0300_liver_PAS"), Set.copyOf(names(lib.search(SearchQuery.live("S24-11")))));
        assertEquals(List.of("S24-1107_liver_HE"), names(lib.search(SearchQuery.live("macrovesicular port"))));
        // typed out, not live: no prefix
        SearchResult r = lib.search(SearchQuery.of("macrovesicular port"));
        assertTrue(r.hits().isEmpty() || r.fuzzy(), r.toString());
    }

    @Test
    void tagAndFormatFilter() {
        assertEquals(Set.of("S24-1107_liver_HE", "gastric"), findSet("tag:teaching-set"));
        assertEquals(List.of("S24-1107_liver_HE"), find("steatosis tag:teaching-set"));
        assertEquals(List.of("gastric"), find("tag:teaching-set tag:gi"));
        assertEquals(List.of("gastric"), find("format:fastpath"));
        assertEquals(List.of("gastric"), find("helicobacter format:FastPATH"));
        assertEquals(List.of(), find("helicobacter format:deepzoom"));
        assertEquals(List.of("gastric"), names(lib.search(SearchQuery.of("").withTags(List.of("GI")))));
        assertEquals(4, lib.search(SearchQuery.of("").withFormats(List.of("deepzoom"))).hits().size());
    }

    @Test
    void nameMatchesRankBeforeNoteMatches() {
        List<String> hits = find("steatosis");
        assertEquals("steatosis_teaching", hits.getFirst(), hits.toString());
        assertEquals(Set.of("steatosis_teaching", "S24-1107_liver_HE", "kidney_HE"), Set.copyOf(hits));
    }

    @Test
    void fuzzyRetryFindsNearMissesAndSaysSo() {
        SearchResult r = lib.search(SearchQuery.of("steatsis"));
        assertTrue(r.fuzzy());
        assertTrue(names(r).contains("S24-1107_liver_HE"), names(r).toString());
        SearchResult exact = lib.search(SearchQuery.of("steatosis"));
        assertFalse(exact.fuzzy());
        SearchResult none = lib.search(SearchQuery.of("xylophone"));
        assertTrue(none.hits().isEmpty());
    }

    @Test
    void snippetsShowTheMatch() {
        SearchResult.Hit h = lib.search(SearchQuery.of("inflammation portal")).hits().getFirst();
        String matched = h.snippet().substring(h.matchStart(), h.matchEnd());
        assertTrue(matched.equalsIgnoreCase("inflammation") || matched.equalsIgnoreCase("portal"), h.toString());
        assertTrue(h.snippet().contains("mild portal inflammation"), h.snippet());
        SearchResult.Hit accent = lib.search(SearchQuery.of("steatose")).hits().getFirst();
        assertEquals("Stéatose", accent.snippet().substring(accent.matchStart(), accent.matchEnd()));
        SearchResult.Hit prefix = lib.search(SearchQuery.live("helico")).hits().getFirst();
        assertEquals("Helicobacter", prefix.snippet().substring(prefix.matchStart(), prefix.matchEnd()));
    }

    @Test
    void emptyQueryListsEverything() {
        assertEquals(5, lib.search(SearchQuery.of("")).hits().size());
        assertEquals(2, lib.search(SearchQuery.of("").withLimit(2)).hits().size());
        assertEquals(5, lib.search(SearchQuery.of("").withLimit(2)).total());
    }

    @Test
    void strayOperatorsDoNotThrow() {
        for (String q : List.of("\"", "-", "*", "(", "~", "tag:", "format:\"\"", "\"unclosed phrase", "a|")) {
            assertTrue(lib.search(SearchQuery.live(q)).hits().size() <= 5, q);
            assertTrue(lib.search(SearchQuery.of(q)).hits().size() <= 5, q);
        }
    }
}
