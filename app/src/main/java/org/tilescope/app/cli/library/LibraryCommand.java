package org.tilescope.app.cli.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tilescope.app.cli.CliErrors;
import org.tilescope.engine.library.Library;
import org.tilescope.engine.library.LibraryFolders;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the library subcommands share: the library (in TILESCOPE_DATA, else the user's data
 * folder; system property tilescope.data first), --json, --verbose.
 */
abstract class LibraryCommand implements CliErrors.Verbose {
    @Option(names = "--verbose", description = "Print the full error trace.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public boolean verbose() {
        return verbose;
    }

    Library openLibrary() throws IOException {
        return Library.open(LibraryFolders.fromEnvironment());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A slide path given on the command line: it must exist. */
    static Path existingSlide(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new java.nio.file.NoSuchFileException(abs.toString());
        }
        return abs;
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
        }
        if (b < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", b / 1073741824.0);
    }
}
