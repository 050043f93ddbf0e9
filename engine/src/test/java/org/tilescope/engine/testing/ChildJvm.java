package org.tilescope.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a fresh, headless JVM with this one's class path: for what a
 * JVM decides once at start (which decoder, which library, native access), which a test in this
 * JVM cannot change.
 */
public final class ChildJvm {
    /** What the child printed (stdout and stderr together) and its exit code. */
    public record Result(int code, String output) {
    }

    private ChildJvm() {
    }

    /** Runs {@code main}'s main method with {@code jvmArgs}; fails the test when it takes over 60 s. */
    public static Result run(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.awt.headless=true"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
