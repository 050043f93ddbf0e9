package org.tilescope.app.cli.library;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.LibrarySlide;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true,
        description = {"Add (+TAG) and remove (-TAG) tags of a slide. Returns once the change is on disk.",
                "Tags are lower-cased and have no spaces: teaching-set, her2-positive."})
public final class TagCommand extends LibraryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SLIDE", description = "The slide (.dzi, .fastpath folder, .tif, .svs).")
    Path slide;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "+TAG|-TAG", description = "Tags to add (+) or remove (-).")
    List<String> edits = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path s = existingSlide(slide);
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        for (String e : edits) {
            if (e.startsWith("+") && e.length() > 1) {
                add.add(e.substring(1));
            } else if (e.startsWith("-") && e.length() > 1) {
                remove.add(e.substring(1));
            } else {
                throw new IllegalArgumentException("\"" + e + "\": write +TAG to add a tag or -TAG to remove one");
            }
        }
        List<String> now;
        try (Library lib = openLibrary()) {
            lib.editTags(s, add, remove).get(); // on disk when this returns
            now = lib.slide(s).map(LibrarySlide::tags).orElse(null);
            if (now == null) {
                now = List.of();
                err().println("tilescope: note: " + s + " is not in the library yet (tilescope scan its folder); tags kept anyway");
            }
        }
        out().println(s.getFileName() + ": " + (now.isEmpty() ? "(no tags)" : String.join(", ", now)));
        out().flush();
        return 0;
    }
}
