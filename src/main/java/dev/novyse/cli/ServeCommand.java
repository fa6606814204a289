package dev.novyse.cli;

import dev.novyse.account.XdgDirs;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Run the Novyse server (REST + Socket.IO, SQLite storage) until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port to listen on (0 picks a free one; default: ${DEFAULT-VALUE}).",
            defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @picocli.CommandLine.ParentCommand
    NovyseCommand root;

    @Override
    public Integer call() throws Exception {
        // --data-dir names the server's own directory here; by default it sits beside the client accounts.
        Path dir = root.dataDir != null ? root.dataDir : XdgDirs.dataHome().resolve("server");
        NovyseServer server = new NovyseServer(ServerConfig.of(host, port, dir));
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
        System.err.println("novyse server listening on " + server.url() + " (data in " + dir + ")");
        stopped.await();
        return ExitCodes.OK;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
