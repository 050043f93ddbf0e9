package org.tilescope.engine.library.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;

/**
 * A typed query made into a Lucene query with Lucene's {@link SimpleQueryParser}: words must all
 * match (in any field, weighted by field), "quoted text" is a phrase, {@code word*} a prefix,
 * {@code word~} fuzzy, {@code -word} excluded. Before parsing, {@code tag:x} and
 * {@code format:x} are taken out as filters; when typed live, the last word becomes a prefix.
 *
 * @param text    what is left for the parser
 * @param tags    tag filters, lower case
 * @param formats format filters, lower case
 */
public record QueryText(String text, List<String> tags, List<String> formats) {
    private static final Pattern FILTER = Pattern.compile("(?<!\\S)(tag|format):(?:\"([^\"]*)\"|(\\S+))",
            Pattern.CASE_INSENSITIVE);
    /** Words shorter than this are not made fuzzy: a one-edit neighbour of a short word is anything. */
    static final int FUZZY_MIN_LENGTH = 4;

    public QueryText {
        tags = List.copyOf(tags);
        formats = List.copyOf(formats);
    }

    /** Takes the filters out of the typed text. */
    public static QueryText of(String typed) {
        String s = typed == null ? "" : typed;
        List<String> tags = new ArrayList<>();
        List<String> formats = new ArrayList<>();
        Matcher m = FILTER.matcher(s);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            String value = (m.group(2) != null ? m.group(2) : m.group(3)).strip().toLowerCase(Locale.ROOT);
            if (!value.isEmpty()) {
                (m.group(1).equalsIgnoreCase("tag") ? tags : formats).add(value);
            }
            m.appendReplacement(rest, " ");
        }
        m.appendTail(rest);
        return new QueryText(rest.toString(), tags, formats);
    }

    public boolean hasText() {
        return !text.isBlank();
    }

    /** The text with its last word made a prefix, as for search-as-you-type. */
    public String live() {
        String t = text;
        if (t.isBlank() || Character.isWhitespace(t.charAt(t.length() - 1))) {
            return t;
        }
        int quotes = (int) t.chars().filter(c -> c == '"').count();
        char last = t.charAt(t.length() - 1);
        if (quotes % 2 == 1 || !Character.isLetterOrDigit(last)) {
            return t; // inside or right after a phrase, or already an operator
        }
        return t + "*";
    }

    /** The text with every bare word made fuzzy (up to two edits), for the retry after no match. */
    public String fuzzy() {
        StringBuilder b = new StringBuilder();
        boolean inPhrase = false;
        for (String part : text.split("(?<=\\s)|(?=\\s)")) {
            if (part.isBlank()) {
                b.append(part);
                continue;
            }
            int quotes = (int) part.chars().filter(c -> c == '"').count();
            boolean bare = !inPhrase && quotes == 0 && part.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '*');
            String word = part.endsWith("*") ? part.substring(0, part.length() - 1) : part;
            if (bare && word.codePointCount(0, word.length()) >= FUZZY_MIN_LENGTH) {
                b.append(word).append(word.length() <= 5 ? "~1" : "~2");
            } else {
                b.append(part);
            }
            if (quotes % 2 == 1) {
                inPhrase = !inPhrase;
            }
        }
        return b.toString();
    }

    /** Parses with the library's fields and weights; null when nothing searchable is left. */
    static Query parse(String text, Analyzer analyzer) {
        SimpleQueryParser p = new Parser(analyzer);
        p.setDefaultOperator(BooleanClause.Occur.MUST);
        return p.parse(text);
    }

    /**
     * Lucene's parser with one change: a fuzzy word keeps its first letter (near misses are
     * typos, rarely of the first letter) and is not tried on IDs and metadata. That makes the
     * fuzzy retry several times cheaper at 10,000 slides.
     */
    private static final class Parser extends SimpleQueryParser {
        Parser(Analyzer analyzer) {
            super(analyzer, LibraryAnalyzer.WEIGHTS);
        }

        @Override
        protected Query newFuzzyQuery(String text, int fuzziness) {
            org.apache.lucene.search.BooleanQuery.Builder bq = new org.apache.lucene.search.BooleanQuery.Builder();
            for (var e : weights.entrySet()) {
                String field = e.getKey();
                if (field.equals(IndexedDoc.IDS) || field.equals(IndexedDoc.META)) {
                    continue;
                }
                org.apache.lucene.util.BytesRef term = getAnalyzer().normalize(field, text);
                Query q = new org.apache.lucene.search.FuzzyQuery(new org.apache.lucene.index.Term(field, term), fuzziness, 1);
                if (e.getValue() != 1f) {
                    q = new org.apache.lucene.search.BoostQuery(q, e.getValue());
                }
                bq.add(q, BooleanClause.Occur.SHOULD);
            }
            return simplify(bq.build());
        }
    }
}
