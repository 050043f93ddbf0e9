package org.tilescope.engine.library;

import java.nio.file.Path;
import java.util.List;

/**
 * What a search found, best first.
 *
 * @param query     the query
 * @param hits      at most the query's limit
 * @param total     how many slides matched in all
 * @param fuzzy     nothing matched as typed; these are near-misses ("steatsis" found "steatosis")
 * @param reloading the index is being (re)built: results may be incomplete
 */
public record SearchResult(SearchQuery query, List<Hit> hits, long total, boolean fuzzy, boolean reloading) {

    public SearchResult {
        hits = List.copyOf(hits);
    }

    /**
     * One slide found.
     *
     * @param path       the slide
     * @param name       its name
     * @param format     its format
     * @param tags       its tags
     * @param score      relevance (name matches score above note matches)
     * @param snippet    a piece of its notes around the match ("" when it has none)
     * @param matchStart where the match starts in the snippet (equal to matchEnd when the match was not in a note)
     * @param matchEnd   where it ends
     */
    public record Hit(Path path, String name, String format, List<String> tags, float score, String snippet,
                      int matchStart, int matchEnd) {
        public Hit {
            tags = List.copyOf(tags);
        }
    }
}
