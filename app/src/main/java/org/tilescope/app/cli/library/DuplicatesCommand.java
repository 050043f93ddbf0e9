package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tilescope.engine.library.DuplicateGroup;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.ScanReport;
import org.tilescope.engine.library.TrashReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "duplicates", mixinStandardHelpOptions = true,
        description = {"List slides with the same content (copies and renames, by content fingerprint) and the bytes the extra copies take.",
                "With --move-to-trash, keep the first of each group (by path) and move the others to the trash (never deleted)."})
public final class DuplicatesCommand extends LibraryCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON: [{paths, bytes}] (bytes: what the extra copies take).")
    boolean json;

    @Option(names = "--move-to-trash", description = "Move every copy but the first of each group to the trash.")
    boolean moveToTrash;

    @Override
    public Integer call() throws Exception {
        List<DuplicateGroup> groups;
        TrashReport moved = null;
        try (Library lib = openLibrary()) {
            groups = lib.duplicates();
            if (moveToTrash && !groups.isEmpty()) {
                moved = lib.moveExtraCopiesToTrash(groups);
            }
        }
        if (json) {
            ArrayNode a = JSON.createArrayNode();
            for (DuplicateGroup g : groups) {
                ObjectNode o = a.addObject();
                ArrayNode paths = o.putArray("paths");
                g.paths().forEach(p -> paths.add(p.toString()));
                o.put("bytes", g.wastedBytes());
            }
            out().println(JSON.writeValueAsString(a));
        } else if (groups.isEmpty()) {
            out().println("No duplicates.");
        } else {
            long wasted = 0;
            for (DuplicateGroup g : groups) {
                out().printf(Locale.ROOT, "%d copies, %s in the extra ones:%n", g.paths().size(), bytes(g.wastedBytes()));
                for (Path p : g.paths()) {
                    out().println("  " + p + (p.equals(g.kept()) ? "  (kept)" : ""));
                }
                wasted += g.wastedBytes();
            }
            out().printf(Locale.ROOT, "%d groups, %s in extra copies%n", groups.size(), bytes(wasted));
        }
        if (moved != null) {
            err().printf(Locale.ROOT, "Found %d extra copies, moved %d to the trash, %s saved%n", moved.found(), moved.moved(),
                    bytes(moved.bytesSaved()));
            for (ScanReport.Failure f : moved.failures()) {
                err().println("  not moved: " + f.path() + ": " + f.reason());
            }
        }
        out().flush();
        err().flush();
        return moved != null && !moved.failures().isEmpty() ? 1 : 0;
    }
}
