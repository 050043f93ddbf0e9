package org.tilescope.engine.library.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoteReaderTest {
    @TempDir
    Path dir;

    @Test
    void validUtf8ReadsWholeWithoutWarnings() throws Exception {
        Path f = Files.writeString(dir.resolve("n.txt"), "\uFEFFStéatose — 40 %");
        NoteReader.Note n = NoteReader.read(f);
        assertEquals("Stéatose — 40 %", n.text());
        assertEquals(List.of(), n.warnings());
    }

    @Test
    void invalidBytesAreReplacedWithAWarning() throws Exception {
        Path f = Files.write(dir.resolve("n.txt"), new byte[] {'a', (byte) 0xE9, 'b', (byte) 0xFF});
        NoteReader.Note n = NoteReader.read(f);
        assertEquals("a\uFFFDb\uFFFD", n.text());
        assertEquals(1, n.warnings().size());
        assertTrue(n.warnings().getFirst().contains("UTF-8"));
    }

    @Test
    void aLongNoteIsCutAtTheLimitWithoutBreakingACharacter() throws Exception {
        // 'é' is two bytes: a limit of 5 falls inside the third one
        Path f = Files.writeString(dir.resolve("n.txt"), "ééééé", StandardCharsets.UTF_8);
        NoteReader.Note n = NoteReader.read(f, 5);
        assertEquals("éé", n.text());
        assertEquals(1, n.warnings().size(), n.warnings().toString());
        assertTrue(n.warnings().getFirst().contains("indexed its first"));
    }

    @Test
    void exactlyTheLimitIsNotTruncated() throws Exception {
        Path f = Files.writeString(dir.resolve("n.txt"), "abcde");
        assertEquals(List.of(), NoteReader.read(f, 5).warnings());
        assertEquals("abcde", NoteReader.read(f, 5).text());
    }

    @Test
    void annotationNamesAndClassesComeFromAStream() throws Exception {
        Path f = Files.writeString(dir.resolve("a.geojson"), """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]},
                   "properties": {"name": "Tumour core", "classification": {"name": "Tumor", "color": [200, 0, 0]},
                                  "measurements": {"area": 12}}},
                  {"type": "Feature", "geometry": null, "properties": {"classification": {"name": "Stroma"}}},
                  {"type": "Feature", "properties": {"name": "Tumour core"}}
                ]}""");
        AnnotationNames.Names n = AnnotationNames.read(f);
        assertEquals(List.of("Tumour core", "Tumor", "Stroma"), n.names());
        assertEquals(List.of(), n.warnings());
        Path broken = Files.writeString(dir.resolve("b.geojson"), "{\"features\": [{\"properties\": {\"name\": \"Kept\"}}, {");
        AnnotationNames.Names b = AnnotationNames.read(broken);
        assertEquals(List.of("Kept"), b.names());
        assertEquals(1, b.warnings().size());
    }
}
