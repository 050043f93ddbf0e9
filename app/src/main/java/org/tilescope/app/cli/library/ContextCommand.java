package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.CaseContext;
import org.tilescope.engine.library.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "context", mixinStandardHelpOptions = true,
        description = {"Print a slide as one Markdown block for an LLM chat: metadata, tags, notes, annotation names.",
                "Its exact token count (o200k_base) goes to stderr, so stdout can be piped to the clipboard."})
public final class ContextCommand extends LibraryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SLIDE", description = "The slide (.dzi, .fastpath folder, .tif, .svs).")
    Path slide;

    @Option(names = "--json", description = "Print JSON: {markdown, tokens, encoding}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path s = existingSlide(slide);
        CaseContext c;
        try (Library lib = openLibrary()) {
            c = lib.context(s);
        }
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("markdown", c.markdown());
            o.put("tokens", c.tokens());
            o.put("encoding", c.encoding());
            out().println(JSON.writeValueAsString(o));
        } else {
            out().print(c.markdown());
            err().printf(Locale.ROOT, "(%,d tokens, %s)%n", c.tokens(), c.encoding());
        }
        out().flush();
        err().flush();
        return 0;
    }
}
