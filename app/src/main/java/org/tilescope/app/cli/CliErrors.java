package org.tilescope.app.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.tilescope.engine.slide.SlideException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Turns any failure into one clear line on stderr and exit code 1; the trace only with --verbose. */
public final class CliErrors {
    private CliErrors() {
    }

    /** A command with a --verbose option: its errors print their trace too. */
    public interface Verbose {
        boolean verbose();
    }

    public static int handle(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("tilescope: " + describe(e));
        Object cmd = cl.getCommand();
        if ((cmd instanceof SlideCommand sc && sc.verbose) || (cmd instanceof DoctorCommand dc && dc.verbose)
                || (cmd instanceof Verbose v && v.verbose())) {
            printTrace(e, err);
        }
        err.flush();
        return 1;
    }

    static String describe(Throwable e) {
        if (e instanceof SlideException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        String m = e.getMessage();
        return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
    }

    static void printTrace(Throwable e, PrintWriter err) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            err.println((t == e ? "" : "Caused by: ") + t);
            for (StackTraceElement el : t.getStackTrace()) {
                err.println("\tat " + el);
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }
}
