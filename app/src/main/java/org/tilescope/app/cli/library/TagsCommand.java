package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tags", mixinStandardHelpOptions = true, description = "List the library's tags with how many slides have each.")
public final class TagsCommand extends LibraryCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON: {tag: count}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SortedMap<String, Integer> counts;
        try (Library lib = openLibrary()) {
            counts = lib.tagCounts();
        }
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            counts.forEach(o::put);
            out().println(JSON.writeValueAsString(o));
        } else if (counts.isEmpty()) {
            out().println("No tags yet (tilescope tag SLIDE +TAG).");
        } else {
            int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                out().printf("%-" + width + "s  %d%n", e.getKey(), e.getValue());
            }
        }
        out().flush();
        return 0;
    }
}
