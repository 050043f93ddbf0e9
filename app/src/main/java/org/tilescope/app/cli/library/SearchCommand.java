package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.SearchQuery;
import org.tilescope.engine.library.SearchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search the library: slide names, metadata, notes, annotation names, tags.",
                "Words must all match (accents and case do not matter); \"quoted text\" is a phrase; word* a prefix;",
                "tag:x and format:x filter. When nothing matches, near misses are shown and marked."})
public final class SearchCommand extends LibraryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "QUERY", arity = "0..*", description = "What to look for (several words are joined).")
    List<String> words = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "T", description = "Only slides with this tag (repeatable: all must be present).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--format", paramLabel = "F", description = "Only slides of this format: deepzoom, fastpath, tiff, svs.")
    String format;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Most results (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array of {path, name, format, tags, score, snippet}, best first.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive");
        }
        SearchQuery q = SearchQuery.of(String.join(" ", words)).withTags(tags).withLimit(limit)
                .withFormats(format == null ? List.of() : List.of(format));
        SearchResult r;
        try (Library lib = openLibrary()) {
            lib.awaitIndexed().get();
            r = lib.search(q);
        }
        PrintWriter out = out();
        if (json) {
            ArrayNode a = JSON.createArrayNode();
            for (SearchResult.Hit h : r.hits()) {
                ObjectNode o = a.addObject();
                o.put("path", h.path().toString());
                o.put("name", h.name());
                o.put("format", h.format());
                ArrayNode t = o.putArray("tags");
                h.tags().forEach(t::add);
                o.put("score", Math.round(h.score() * 1000) / 1000.0);
                o.put("snippet", h.snippet());
            }
            out.println(JSON.writeValueAsString(a));
        } else {
            out.print(toText(r));
        }
        out.flush();
        return 0;
    }

    static String toText(SearchResult r) {
        StringBuilder b = new StringBuilder();
        if (r.hits().isEmpty()) {
            return "No slides match.\n";
        }
        if (r.fuzzy()) {
            b.append("No exact match; near matches:\n");
        }
        for (SearchResult.Hit h : r.hits()) {
            b.append(h.name()).append("  [").append(h.format()).append(']');
            if (!h.tags().isEmpty()) {
                b.append("  #").append(String.join(" #", h.tags()));
            }
            b.append('\n').append("  ").append(h.path()).append('\n');
            if (!h.snippet().isEmpty()) {
                String s = h.snippet();
                if (h.matchEnd() > h.matchStart()) {
                    s = s.substring(0, h.matchStart()) + "[" + s.substring(h.matchStart(), h.matchEnd()) + "]"
                            + s.substring(h.matchEnd());
                }
                b.append("  ").append(s).append('\n');
            }
        }
        if (r.total() > r.hits().size()) {
            b.append(String.format(Locale.ROOT, "(%,d more; --limit to see them)%n", r.total() - r.hits().size()));
        }
        return b.toString();
    }
}
