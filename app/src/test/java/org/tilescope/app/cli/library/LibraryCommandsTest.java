package org.tilescope.app.cli.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tilescope.app.TestSlides;
import org.tilescope.app.TilescopeCommand;

/**
 * The library commands end to end, in process, with the library in a temp folder (the system
 * properties tilescope.data and tilescope.cache stand in for TILESCOPE_DATA and TILESCOPE_CACHE).
 */
class LibraryCommandsTest {
    @TempDir
    Path dir;
    Path slides;

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TilescopeCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void library() throws IOException {
        System.setProperty("tilescope.data", dir.resolve("data").toString());
        System.setProperty("tilescope.cache", dir.resolve("cache").toString());
        System.setProperty("tilescope.trash", dir.resolve("trash").toString());
        slides = Files.createDirectories(dir.resolve("slides"));
        Path cases = Files.createDirectories(slides.resolve("2024"));
        TestSlides.writeDzi(cases, "S24-1107_liver_HE", 300, 200, 128, 1);
        Files.writeString(cases.resolve("S24-1107_liver_HE.txt"), "Moderate macrovesicular steatosis, mild portal inflammation.");
        TestSlides.writeDzi(cases, "S24-1200_kidney_HE", 310, 200, 128, 1);
        Files.writeString(cases.resolve("S24-1200_kidney_HE.md"), "# Kidney\nGlomeruli unremarkable. Stéatose absente.");
        Files.writeString(slides.resolve("broken.dzi"), "");
    }

    @AfterEach
    void clear() {
        System.clearProperty("tilescope.data");
        System.clearProperty("tilescope.cache");
        System.clearProperty("tilescope.trash");
    }

    static Set<String> keys(JsonNode o) {
        Set<String> k = new TreeSet<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            k.add(it.next());
        }
        return k;
    }

    @Test
    void scanJsonHasTheDocumentedKeysAndCounts() throws IOException {
        Result r = run("scan", "--json", slides.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(Set.of("slides", "tokenized", "skipped", "failed", "failures", "seconds"), keys(j));
        assertEquals(2, j.get("slides").asInt());
        assertEquals(2, j.get("tokenized").asInt());
        assertEquals(0, j.get("skipped").asInt());
        assertEquals(1, j.get("failed").asInt());
        assertEquals(Set.of("path", "reason"), keys(j.get("failures").get(0)));
        assertEquals(slides.resolve("broken.dzi").toAbsolutePath().toString(), j.get("failures").get(0).get("path").asText());
        assertTrue(j.get("failures").get(0).get("reason").asText().contains("empty"));
        assertEquals(Set.of("scan", "tokenize", "merge", "persist"), keys(j.get("seconds")));
        // the folder is remembered: a scan with no folder rescans it, and nothing changed
        Result again = run("scan", "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals(0, again.json().get("tokenized").asInt());
        assertEquals(2, again.json().get("skipped").asInt());
    }

    @Test
    void scanTextAndErrors() {
        Result r = run("scan", slides.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 slides: 2 tokenized, 0 skipped (unchanged), 1 failed"), r.out());
        assertTrue(r.out().contains("broken.dzi: empty file"), r.out());
        assertTrue(r.out().contains("Seconds: scan"), r.out());
        Result missing = run("scan", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such folder"), missing.err());
    }

    @Test
    void searchFindsByWordAccentIdAndFilters() throws IOException {
        assertEquals(0, run("scan", slides.toString()).code());
        Result r = run("search", "--json", "steatosis");
        assertEquals(0, r.code(), r.err());
        JsonNode hits = r.json();
        assertEquals(1, hits.size(), r.out());
        JsonNode h = hits.get(0);
        assertEquals(Set.of("path", "name", "format", "tags", "score", "snippet"), keys(h));
        assertEquals("S24-1107_liver_HE", h.get("name").asText());
        assertEquals("deepzoom", h.get("format").asText());
        assertTrue(h.get("snippet").asText().contains("steatosis"), h.toString());
        assertTrue(h.get("score").asDouble() > 0);
        assertEquals(List.of("S24-1200_kidney_HE"), names(run("search", "--json", "steatose")));
        assertEquals(List.of("S24-1107_liver_HE"), names(run("search", "--json", "S24-1107")));
        assertEquals(2, names(run("search", "--json", "S24")).size());
        assertEquals(List.of(), names(run("search", "--json", "--format", "tiff", "S24")));
        assertEquals(1, names(run("search", "--json", "--limit", "1", "S24")).size());
        Result text = run("search", "mild", "portal");
        assertTrue(text.out().contains("S24-1107_liver_HE"), text.out());
        assertTrue(text.out().contains("[mild]") || text.out().contains("[portal]"), text.out());
        Result fuzzy = run("search", "steatsis");
        assertTrue(fuzzy.out().startsWith("No exact match; near matches:"), fuzzy.out());
        assertTrue(run("search", "xylophone").out().contains("No slides match"));
    }

    static List<String> names(Result r) throws IOException {
        assertEquals(0, r.code(), r.err());
        List<String> out = new ArrayList<>();
        r.json().forEach(h -> out.add(h.get("name").asText()));
        return out;
    }

    @Test
    void tagAddsAndRemovesDurablyAndTagsCounts() throws IOException {
        assertEquals(0, run("scan", slides.toString()).code());
        Path liver = slides.resolve("2024/S24-1107_liver_HE.dzi");
        Path kidney = slides.resolve("2024/S24-1200_kidney_HE.dzi");
        Result t = run("tag", liver.toString(), "+teaching-set", "+Liver", "+old");
        assertEquals(0, t.code(), t.err());
        assertEquals("S24-1107_liver_HE.dzi: liver, old, teaching-set\n", t.out());
        Result minus = run("tag", liver.toString(), "-old");
        assertEquals(0, minus.code(), minus.err());
        assertEquals("S24-1107_liver_HE.dzi: liver, teaching-set\n", minus.out());
        assertEquals(0, run("tag", kidney.toString(), "+teaching-set").code());
        Result tags = run("tags", "--json");
        assertEquals(0, tags.code(), tags.err());
        JsonNode j = tags.json();
        assertEquals(Set.of("liver", "teaching-set"), keys(j));
        assertEquals(2, j.get("teaching-set").asInt());
        assertEquals(1, j.get("liver").asInt());
        assertTrue(run("tags").out().contains("teaching-set  2"));
        assertEquals(List.of("S24-1107_liver_HE"), names(run("search", "--json", "--tag", "liver")));
        assertEquals(2, names(run("search", "--json", "tag:teaching-set")).size());
        JsonNode hit = run("search", "--json", "--tag", "liver").json().get(0);
        assertEquals("[\"liver\",\"teaching-set\"]", hit.get("tags").toString());
    }

    @Test
    void tagRefusesBadInput() {
        assertEquals(0, run("scan", slides.toString()).code());
        Path liver = slides.resolve("2024/S24-1107_liver_HE.dzi");
        Result bare = run("tag", liver.toString(), "teaching");
        assertEquals(1, bare.code());
        assertTrue(bare.err().contains("+TAG"), bare.err());
        Result missing = run("tag", dir.resolve("nope.dzi").toString(), "+x");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.dzi"), missing.err());
        Result comma = run("tag", liver.toString(), "+a,b");
        assertEquals(1, comma.code());
        assertTrue(comma.err().contains("comma"), comma.err());
    }

    @Test
    void duplicatesListsCopiesAndMovesThemToTheTrash() throws IOException {
        Path copyDir = Files.createDirectories(slides.resolve("copy"));
        TestSlides.writeDzi(copyDir, "renamed_copy", 300, 200, 128, 1); // same pixels as S24-1107_liver_HE
        assertEquals(0, run("scan", slides.toString()).code());
        Result r = run("duplicates", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode groups = r.json();
        assertEquals(1, groups.size(), r.out());
        assertEquals(Set.of("paths", "bytes"), keys(groups.get(0)));
        assertEquals(2, groups.get(0).get("paths").size());
        assertTrue(groups.get(0).get("bytes").asLong() > 0);
        String kept = groups.get(0).get("paths").get(0).asText();
        String extra = groups.get(0).get("paths").get(1).asText();
        Result moved = run("duplicates", "--move-to-trash");
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.err().contains("moved 1 to the trash"), moved.err());
        assertTrue(Files.exists(Path.of(kept)));
        assertFalse(Files.exists(Path.of(extra)));
        assertTrue(Files.exists(dir.resolve("trash/files").resolve(Path.of(extra).getFileName())));
        assertEquals(0, run("duplicates", "--json").json().size());
    }

    @Test
    void contextPrintsMarkdownAndCountsTokens() throws IOException {
        assertEquals(0, run("scan", slides.toString()).code());
        Path liver = slides.resolve("2024/S24-1107_liver_HE.dzi");
        assertEquals(0, run("tag", liver.toString(), "+teaching-set").code());
        Result j = run("context", "--json", liver.toString());
        assertEquals(0, j.code(), j.err());
        JsonNode o = j.json();
        assertEquals(Set.of("markdown", "tokens", "encoding"), keys(o));
        assertEquals("o200k_base", o.get("encoding").asText());
        String md = o.get("markdown").asText();
        assertTrue(md.startsWith("# S24-1107_liver_HE\n"), md);
        assertTrue(md.contains("Moderate macrovesicular steatosis"), md);
        assertTrue(md.contains("- Tags: teaching-set"), md);
        int tokens = o.get("tokens").asInt();
        assertTrue(tokens > 20 && tokens < md.length(), "tokens " + tokens);
        Result text = run("context", liver.toString());
        assertEquals(md, text.out());
        assertTrue(text.err().contains(tokens + " tokens, o200k_base"), text.err());
    }

    @Test
    void contextOfASlideOutsideTheLibraryReadsItDirectly() throws IOException {
        Path liver = slides.resolve("2024/S24-1107_liver_HE.dzi");
        Result j = run("context", "--json", liver.toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.json().get("markdown").asText().contains("steatosis"));
    }
}
