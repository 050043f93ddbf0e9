package org.tilescope.engine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real lighttpd on 127.0.0.1 and a free port, started from a generated config in a temp
 * folder: static files from a document root, and optionally iipsrv (IIPImage, FastCGI) at
 * {@code /fcgi-bin/iipsrv.fcgi} serving images under a folder. Stopped (with iipsrv) on close.
 * Tests that need it are skipped, with a line on stderr, when the Debian packages
 * {@code lighttpd} and {@code iipimage-server} are not installed.
 */
public final class Lighttpd implements AutoCloseable {
    public static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");
    public static final Path IIPSRV = Path.of("/usr/lib/iipimage-server/iipsrv.fcgi");
    /** Where iipsrv answers. */
    public static final String IIPSRV_PATH = "/fcgi-bin/iipsrv.fcgi";

    private final Process process;
    private final int port;
    private final Path dir;

    private Lighttpd(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Skips the calling test unless lighttpd (and iipsrv when asked) are installed. */
    public static void assumeInstalled(boolean withIipsrv) {
        boolean ok = Files.isExecutable(LIGHTTPD) && (!withIipsrv || Files.isExecutable(IIPSRV));
        if (!ok) {
            System.err.println("SKIPPED real-server tests: install the Debian packages lighttpd"
                    + (withIipsrv ? " and iipimage-server" : "") + " (apt-get install -y lighttpd iipimage-server)");
        }
        Assumptions.assumeTrue(ok, "lighttpd/iipsrv not installed");
    }

    /**
     * Starts lighttpd.
     *
     * @param dir      a temp folder for the config, socket and logs
     * @param docRoot  folder served as static files at /
     * @param iipRoot  folder whose images iipsrv serves (FILESYSTEM_PREFIX), or null for none
     * @param jpegQuality quality of the JPEGs iipsrv encodes (its default is 75)
     */
    public static Lighttpd start(Path dir, Path docRoot, Path iipRoot, int jpegQuality) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder conf = new StringBuilder();
        conf.append("server.document-root = \"").append(docRoot.toAbsolutePath()).append("\"\n")
                .append("server.bind = \"127.0.0.1\"\n")
                .append("server.port = ").append(port).append('\n')
                .append("server.errorlog = \"").append(dir.resolve("error.log")).append("\"\n")
                .append("server.modules = (\"mod_fastcgi\")\n")
                .append("mimetype.assign = (\".dzi\" => \"application/xml\", \".xml\" => \"application/xml\", ")
                .append("\".jpg\" => \"image/jpeg\", \".jpeg\" => \"image/jpeg\", \".png\" => \"image/png\", ")
                .append("\".json\" => \"application/json\", \".txt\" => \"text/plain\")\n");
        if (iipRoot != null) {
            String prefix = iipRoot.toAbsolutePath() + "/";
            conf.append("fastcgi.server = ( \"").append(IIPSRV_PATH).append("\" => (( ")
                    .append("\"socket\" => \"").append(dir.resolve("iipsrv.sock")).append("\", ")
                    .append("\"check-local\" => \"disable\", \"min-procs\" => 1, \"max-procs\" => 1, ")
                    .append("\"bin-path\" => \"").append(IIPSRV).append("\", ")
                    .append("\"bin-environment\" => ( \"LOGFILE\" => \"").append(dir.resolve("iipsrv.log"))
                    .append("\", \"VERBOSITY\" => \"1\", \"FILESYSTEM_PREFIX\" => \"").append(prefix)
                    .append("\", \"JPEG_QUALITY\" => \"").append(jpegQuality).append("\", \"MAX_CVT\" => \"8000\" )")
                    .append(" )) )\n");
        }
        Path confFile = dir.resolve("lighttpd.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(LIGHTTPD.toString(), "-D", "-f", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("lighttpd.out").toFile()).start();
        Lighttpd server = new Lighttpd(p, port, dir);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > until) {
                    server.close();
                    throw new IOException("lighttpd did not start: " + server.log());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    server.close();
                    throw new IOException("interrupted while lighttpd started");
                }
            }
        }
    }

    public int port() {
        return port;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** lighttpd's own output and error log, for failure messages. */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"lighttpd.out", "error.log", "iipsrv.log"}) {
            try {
                Path p = dir.resolve(f);
                if (Files.exists(p)) {
                    String s = Files.readString(p);
                    b.append(f).append(": ").append(s, Math.max(0, s.length() - 2000), s.length()).append('\n');
                }
            } catch (IOException e) {
                b.append(f).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    /** Stops lighttpd and the iipsrv it spawned. */
    @Override
    public void close() {
        var children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroy();
            }
        }
    }
}
