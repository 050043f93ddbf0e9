package org.tilescope.engine.library.search;

import java.io.Reader;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * How the library's text becomes search terms. Words: Unicode word breaks (UAX #29),
 * lower-cased, accents folded to ASCII ("Stéatose" is found by "steatose"), underscores treated
 * as spaces so "C24-0112_liver_HE" holds the word "liver". Case IDs ("S24-1107"): the word
 * fields hold their parts ("s24", "1107"); the {@link IndexedDoc#IDS} field holds them whole, so
 * an ID is found whole, by its parts, and by its beginning while it is typed.
 */
public final class LibraryAnalyzer extends DelegatingAnalyzerWrapper {
    /** Letters or digits joined by '-' or '/': S24-1107, C24-0112, 2024/117. */
    static final Pattern CASE_ID = Pattern.compile("[\\p{L}\\p{N}]+(?:[-/][\\p{L}\\p{N}]+)+");

    private final Analyzer words = new Words();
    private final Analyzer ids = new Ids();

    public LibraryAnalyzer() {
        super(PER_FIELD_REUSE_STRATEGY);
    }

    @Override
    protected Analyzer getWrappedAnalyzer(String fieldName) {
        return IndexedDoc.IDS.equals(fieldName) ? ids : words;
    }

    /** Words: the analyzer of every text field but the IDs. */
    static final class Words extends Analyzer {
        private static final NormalizeCharMap UNDERSCORE;

        static {
            NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
            b.add("_", " ");
            UNDERSCORE = b.build();
        }

        @Override
        protected Reader initReader(String fieldName, Reader reader) {
            return new MappingCharFilter(UNDERSCORE, reader);
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream result = new ASCIIFoldingFilter(new LowerCaseFilter(source));
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(in));
        }
    }

    /** Case IDs whole, lower-cased and folded; everything else is dropped. */
    static final class Ids extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new PatternTokenizer(CASE_ID, 0);
            TokenStream result = new ASCIIFoldingFilter(new LowerCaseFilter(source));
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(in));
        }
    }

    /** Field weights: a match in the name ranks before one in the notes. */
    static final Map<String, Float> WEIGHTS = Map.of(
            IndexedDoc.NAME, 10f,
            IndexedDoc.IDS, 10f,
            IndexedDoc.TAGS, 5f,
            IndexedDoc.ANNOTATIONS, 2f,
            IndexedDoc.META, 1.5f,
            IndexedDoc.NOTE, 1f);
}
