package org.tilescope.engine.library;

import java.util.List;

/**
 * What to search for. The text may hold {@code tag:x} and {@code format:x} filters itself;
 * {@code tags} and {@code formats} add to them (all tags must be present, any format matches).
 *
 * @param text    words, "quoted phrases", {@code word*} prefixes; empty lists everything
 * @param tags    tags every hit must have
 * @param formats formats a hit may have ("deepzoom", "fastpath", "tiff", "svs"); empty: any
 * @param limit   most hits returned
 * @param live    typed live: the last word is a prefix
 */
public record SearchQuery(String text, List<String> tags, List<String> formats, int limit, boolean live) {
    public static final int DEFAULT_LIMIT = 50;

    public SearchQuery {
        text = text == null ? "" : text;
        tags = List.copyOf(tags);
        formats = List.copyOf(formats);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
    }

    /** A finished query (no prefix on the last word). */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, List.of(), List.of(), DEFAULT_LIMIT, false);
    }

    /** A query being typed: its last word is a prefix. */
    public static SearchQuery live(String text) {
        return new SearchQuery(text, List.of(), List.of(), DEFAULT_LIMIT, true);
    }

    public SearchQuery withTags(List<String> t) {
        return new SearchQuery(text, t, formats, limit, live);
    }

    public SearchQuery withFormats(List<String> f) {
        return new SearchQuery(text, tags, f, limit, live);
    }

    public SearchQuery withLimit(int n) {
        return new SearchQuery(text, tags, formats, n, live);
    }
}
