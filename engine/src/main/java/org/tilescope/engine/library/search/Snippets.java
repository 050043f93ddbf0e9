package org.tilescope.engine.library.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.ByteRunAutomaton;

/**
 * A short piece of a stored text around the first word the query matched in it. The text is
 * analyzed with the index's analyzer, so a word matches exactly when the index said it did
 * (folded accents, prefixes and fuzzy terms included).
 */
final class Snippets {
    /** Characters shown before and after the match, about. */
    static final int BEFORE = 60;
    static final int AFTER = 120;
    /** Only the beginning of a long note is searched for the match. */
    static final int MAX_SCAN = 256 * 1024;

    private Snippets() {
    }

    /** A snippet and where its match lies in it. */
    record Snippet(String text, int matchStart, int matchEnd) {
    }

    /** What the query matches in one field: exact terms and term automata (prefix, fuzzy). */
    static final class Matcher {
        final Set<BytesRef> terms = new HashSet<>();
        final List<Supplier<ByteRunAutomaton>> automata = new ArrayList<>();
        private List<ByteRunAutomaton> built;

        boolean isEmpty() {
            return terms.isEmpty() && automata.isEmpty();
        }

        boolean matches(BytesRef term) {
            if (terms.contains(term)) {
                return true;
            }
            if (built == null) {
                built = automata.stream().map(Supplier::get).toList();
            }
            for (ByteRunAutomaton a : built) {
                if (a.run(term.bytes, term.offset, term.length)) {
                    return true;
                }
            }
            return false;
        }
    }

    static Matcher matcher(Query query, String field) {
        Matcher m = new Matcher();
        query.visit(new QueryVisitor() {
            @Override
            public boolean acceptField(String f) {
                return field.equals(f);
            }

            @Override
            public void consumeTerms(Query q, Term... terms) {
                for (Term t : terms) {
                    m.terms.add(BytesRef.deepCopyOf(t.bytes()));
                }
            }

            @Override
            public void consumeTermsMatching(Query q, String f, Supplier<ByteRunAutomaton> automaton) {
                m.automata.add(automaton);
            }

            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return occur == BooleanClause.Occur.MUST_NOT ? QueryVisitor.EMPTY_VISITOR : this;
            }
        });
        return m;
    }

    /** The snippet around the first match of {@code m} in {@code text}, or null when none. */
    static Snippet around(String text, String field, Matcher m, Analyzer analyzer) {
        if (m.isEmpty() || text.isEmpty()) {
            return null;
        }
        String scanned = text.length() > MAX_SCAN ? text.substring(0, MAX_SCAN) : text;
        try (TokenStream ts = analyzer.tokenStream(field, scanned)) {
            TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (m.matches(term.getBytesRef())) {
                    int s = offset.startOffset();
                    int e = offset.endOffset();
                    ts.end();
                    return cut(text, s, e);
                }
            }
            ts.end();
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The beginning of a text, when nothing in it matched (a name-only match). */
    static Snippet start(String text) {
        if (text.isBlank()) {
            return new Snippet("", 0, 0);
        }
        Snippet s = cut(text, 0, 0);
        return new Snippet(s.text(), 0, 0);
    }

    /** About BEFORE characters before the match and AFTER after, cut at spaces, whitespace collapsed. */
    static Snippet cut(String text, int start, int end) {
        int from = Math.max(0, start - BEFORE);
        if (from > 0) {
            int space = text.indexOf(' ', from);
            if (space >= 0 && space < start) {
                from = space + 1;
            }
        }
        int to = Math.min(text.length(), end + AFTER);
        if (to < text.length()) {
            int space = text.lastIndexOf(' ', to);
            if (space > end) {
                to = space;
            }
        }
        String before = collapse(text.substring(from, start));
        String match = collapse(text.substring(start, end));
        String after = collapse(text.substring(end, to));
        String prefix = from > 0 ? "…" : "";
        String suffix = to < text.length() ? "…" : "";
        String head = (prefix + before).stripLeading();
        String snippet = head + match + (after + suffix).stripTrailing();
        return new Snippet(snippet, head.length(), head.length() + match.length());
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
