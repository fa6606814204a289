package dev.novyse.cli;

import dev.novyse.account.XdgDirs;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.server.db.PostgresUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Run the Novyse server (REST + Socket.IO; SQLite storage, or PostgreSQL shared by "
        + "several server processes) until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port to listen on (0 picks a free one; default: ${DEFAULT-VALUE}).",
            defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--database", paramLabel = "URI", defaultValue = "${env:NOVYSE_DATABASE}",
            description = "A PostgreSQL database to keep everything in, shared by every server process given the same "
                    + "one: postgresql://user[:password]@host[:port]/name (or the environment variable "
                    + "NOVYSE_DATABASE, which keeps the password out of the process list). Without it: SQLite in the "
                    + "data directory. Uploaded files stay in the data directory either way.")
    String database;

    @picocli.CommandLine.ParentCommand
    NovyseCommand root;

    @Override
    public Integer call() throws Exception {
        // --data-dir names the server's own directory here; by default it sits beside the client accounts.
        Path dir = root.dataDir != null ? root.dataDir : XdgDirs.dataHome().resolve("server");
        if (port < 0 || port > 65535) throw new CliException(ExitCodes.USAGE, "--port must be between 0 and 65535, not " + port);
        probe(host, port);
        ServerConfig config = ServerConfig.of(host, port, dir);
        if (database != null && !database.isBlank()) {
            try {
                config = config.withDatabase(PostgresUrl.parse(database.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--database: " + e.getMessage());
            }
        }
        NovyseServer server;
        try {
            server = new NovyseServer(config);
        } catch (IllegalStateException e) {
            // Unreachable, refused credentials, a newer schema, an unwritable data directory: the one line says which.
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw new CliException(ExitCodes.NETWORK, "cannot listen on " + host + ":" + port + ": " + rootMessage(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "novyse-serve-shutdown"));
        System.err.println("novyse server listening on " + server.url() + " (" + (config.database() == null
                ? "data in " + dir : "database " + config.database().redacted() + ", files in " + dir) + ")");
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * Whether the address can be listened on, asked before anything is made: a port in use used to leave a fresh
     * data directory and database behind, and the web framework's own error line above this one's.
     */
    private static void probe(String host, int port) {
        if (port == 0) return;
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true); // as the server's own socket: a port in TIME_WAIT is free
            s.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException | IllegalArgumentException | SecurityException e) {
            throw new CliException(ExitCodes.NETWORK, "cannot listen on " + host + ":" + port + ": " + rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
