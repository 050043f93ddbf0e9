package org.tilescope.engine.library.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;

/**
 * One slide's search document, as the index holds it. The texts are stored so a tag edit can
 * rebuild the document without reading the sidecars again, and so snippets can be cut.
 *
 * @param path        the slide's absolute path: the document's identity
 * @param name        display name
 * @param format      format name, lower case
 * @param tags        tags, lower case
 * @param meta        metadata lines
 * @param note        sidecar notes and the typed note
 * @param annotations annotation names and classes, one per line
 * @param textKey     the text the document was made from (checksum and typed note); 0 for a
 *                    first document made before the notes were read
 * @param stamp       what the document was made from (text key and tags): a different stamp in
 *                    the store means the document is stale
 */
public record IndexedDoc(String path, String name, String format, List<String> tags, String meta, String note,
                         String annotations, long textKey, long stamp) {
    public static final String PATH = "path";
    public static final String NAME = "name";
    public static final String IDS = "ids";
    public static final String TAGS = "tags";
    public static final String TAG = "tag";
    public static final String FORMAT = "format";
    public static final String META = "meta";
    public static final String NOTE = "note";
    public static final String ANNOTATIONS = "annotations";
    public static final String STAMP = "stamp";
    public static final String TEXT_KEY = "textKey";

    public IndexedDoc {
        tags = List.copyOf(tags);
        format = format.toLowerCase(Locale.ROOT);
    }

    Document toDocument() {
        Document d = new Document();
        d.add(new StringField(PATH, path, Field.Store.YES));
        d.add(new TextField(NAME, name, Field.Store.YES));
        d.add(new TextField(IDS, name + "\n" + note + "\n" + annotations, Field.Store.NO));
        d.add(new StringField(FORMAT, format, Field.Store.YES));
        for (String t : tags) {
            d.add(new StringField(TAG, t, Field.Store.YES));
        }
        d.add(new TextField(TAGS, String.join(" ", tags), Field.Store.NO));
        d.add(new TextField(META, meta, Field.Store.YES));
        d.add(new TextField(NOTE, note, Field.Store.YES));
        d.add(new TextField(ANNOTATIONS, annotations, Field.Store.YES));
        d.add(new StoredField(TEXT_KEY, textKey));
        d.add(new StoredField(STAMP, stamp));
        return d;
    }

    static IndexedDoc fromDocument(Document d) {
        List<String> tags = new ArrayList<>();
        for (IndexableField f : d.getFields(TAG)) {
            tags.add(f.stringValue());
        }
        return new IndexedDoc(d.get(PATH), orEmpty(d.get(NAME)), orEmpty(d.get(FORMAT)), tags, orEmpty(d.get(META)),
                orEmpty(d.get(NOTE)), orEmpty(d.get(ANNOTATIONS)), number(d, TEXT_KEY), number(d, STAMP));
    }

    /** The same text with other tags. */
    public IndexedDoc withTags(List<String> newTags, long newStamp) {
        return new IndexedDoc(path, name, format, newTags, meta, note, annotations, textKey, newStamp);
    }

    private static long number(Document d, String field) {
        IndexableField f = d.getField(field);
        return f == null || f.numericValue() == null ? 0 : f.numericValue().longValue();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
