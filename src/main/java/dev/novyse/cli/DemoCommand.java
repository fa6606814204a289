package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.account.Session;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.demo.DemoClock;
import dev.novyse.demo.DemoPeer;
import dev.novyse.demo.DemoWorkspace;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.sync.SyncResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;

@Command(name = "demo", description = {"Try novyse with no setup: a server on a free loopback port with a seeded "
        + "workspace (people, chats of all four types, a few thousand messages over the past days), signed in as "
        + "'you' in a throw-away data directory, while a simulated peer keeps chatting, reacting and typing.",
        "Opens the full-screen client; --headless keeps serving instead, for scripts and a second terminal.",
        "Everything lives in a fresh temporary directory that is deleted at exit (unless --keep)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:The demo ended (Ctrl-C, SIGTERM, or the client was closed).",
                "1:Internal error.",
                "2:Usage error (bad option).", "4:The port cannot be listened on.",
                "6:The temporary directory cannot be created.",
                "130:Interrupted by Ctrl-C before the client opened (with --headless: before it served); the "
                        + "directories are removed."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Loopback port of the demo server (default: a free one).")
    int port;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the generated workspace and of the peer's choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--headless", description = {"Do not open the full-screen client: print the server URL, the demo "
            + "account and its data directory (one JSON object on stdout), then keep serving with the peer active "
            + "until Ctrl-C or SIGTERM."})
    boolean headless;

    @Option(names = "--keep", description = "Keep the temporary directories at exit (their path is printed).")
    boolean keep;

    private Path dir;
    private NovyseServer server;
    private DemoPeer peer;
    /** Set once by the first clean-up (a signal's or the end's); read without the lock by the progress line. */
    private volatile boolean cleaned;
    /** The command's own thread has left {@link #call}: nothing more is written into the directory. */
    private final CountDownLatch mainDone = new CountDownLatch(1);
    /** The screen is up, or (--headless) the demo serves: from then on a signal ends the demo normally, exit 0. */
    private volatile boolean started;
    /** Whether stderr is a terminal: the progress is then one line that rewrites itself. */
    private final boolean liveStatus = UploadProgress.stderrIsTerminal();
    /** The progress line's state, behind its own lock: the clean-up may wait for the seeding, which reports progress. */
    private final Object line = new Object();
    private boolean statusShown;
    private long statusDrawn;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new CliException(ExitCodes.USAGE, "--port must be between 0 and 65535, not " + port);
        }
        if (root.dataDir != null || root.server != null || root.account != null) {
            throw new CliException(ExitCodes.USAGE,
                    "demo runs its own server and data directory; --data-dir, --server and --account do not apply");
        }
        String unusable = headless ? null : dev.novyse.tui.TuiApp.unusableTerminal();
        if (unusable != null) {
            // Before any work: seeding a workspace nobody can see would only waste time.
            throw new CliException(ExitCodes.USAGE, unusable + " (or run 'novyse demo --headless')");
        }
        Thread hook = new Thread(this::onSignal, "novyse-demo-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            synchronized (this) {
                if (cleaned) return ExitCodes.OK; // a signal came first; the JVM is exiting with its status
                dir = createPrivateTempDir();
            }
            return run();
        } catch (Exception e) {
            // Stopped by a signal while starting: the hook has said so in one line and the JVM exits with the
            // signal's status (the exit this return leads to waits for the hook); what failed meanwhile is no news.
            if (stopping()) return ExitCodes.OK;
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook cleans up
            }
            mainDone.countDown();
            cleanUp(false);
        }
    }

    /**
     * Ctrl-C or SIGTERM. Once the screen is up (where Ctrl-C itself is a key that quits) or the headless demo serves,
     * that is how the demo ends: exit 0. Before, it interrupts the start: one line, the directories removed, and the
     * JVM's own status for the signal, 130 for Ctrl-C (SIGINT), 143 for SIGTERM, as for every command
     * (docs/output.md).
     */
    private void onSignal() {
        if (started) {
            cleanUp(false);
            Runtime.getRuntime().halt(ExitCodes.OK);
        }
        cleanUp(true);
    }

    private boolean stopping() {
        return cleaned;
    }

    private Integer run() throws Exception {
        Path serverDir = dir.resolve("server");
        Path clientDir = dir.resolve("client");
        DemoClock clock = new DemoClock();
        // The seeding below keeps one core busy; the chat screen's classes load on the other meanwhile.
        if (!headless) DaemonThreads.start("novyse-demo-warmup", dev.novyse.tui.Warmup::run);
        status("starting a server …");
        // One round of password hashing: the demo's passwords are printed anyway, and its server lives on loopback as
        // long as the demo; on a cold JVM each of the eight sign-ins would otherwise cost tens of milliseconds.
        NovyseServer s = new NovyseServer(new ServerConfig("127.0.0.1", port, serverDir, Duration.ofMinutes(15),
                1, clock));
        synchronized (this) {
            if (cleaned) return ExitCodes.OK;
            server = s;
        }
        // Jetty starts listening on another thread meanwhile: the seeding needs only the store, and the URL at its end.
        CompletableFuture<Void> listening = CompletableFuture.runAsync(s::start,
                r -> DaemonThreads.start("novyse-demo-listen", r));
        Supplier<URI> listeningAt = () -> {
            try {
                listening.join();
            } catch (CompletionException e) {
                throw new CliException(ExitCodes.NETWORK, "cannot listen on 127.0.0.1:" + port + ": "
                        + ServeCommand.rootMessage(e.getCause()));
            }
            return URI.create(s.url());
        };
        status("seeding a workspace …");
        DemoWorkspace.Result workspace = DemoWorkspace.seed(s.inProcess(), listeningAt, clock, seed,
                (done, total) -> status("seeding a workspace … " + (done * 100 / total) + "%"));
        String url = s.url();
        status("signing in and syncing …");
        Accounts accounts = new Accounts(clientDir);
        // Signed in in-process: the same session an HTTP sign-in would make, without a round trip.
        dev.novyse.protocol.AuthReply login = s.inProcess().signin(DemoWorkspace.USERNAME, DemoWorkspace.PASSWORD);
        String account = Session.saveLogin(accounts, url, DemoWorkspace.USERNAME, login);
        SyncResult synced;
        try (Session session = Session.open(accounts, account)) {
            // The first sync takes the server's own initialize and update replies in-process: the same engine and
            // pages as over HTTP, without a cold JVM's first request on both ends (the HTTP client, TLS included,
            // the server's request path, the JSON both ways: about a second of the way to the first screen). The
            // chat screen then syncs and goes live over HTTP and Socket.IO as any client does.
            synced = session.client().syncEngine(inProcessSync(s, login.userUUID())).sync();
        }
        statusDone(String.format(java.util.Locale.ROOT, "%d messages, %d reactions, %d edits in %d chats on %s,"
                        + " seeded in %.1f s", workspace.counts().messages(), workspace.counts().reactions(),
                workspace.counts().edits(), workspace.chats().size(), url, workspace.took().toMillis() / 1000.0));

        Consumer<String> log = headless ? System.err::println : line -> appendLog(dir.resolve("demo.log"), line);
        Runnable startPeer = () -> {
            DemoPeer p = new DemoPeer(URI.create(url), workspace, seed, DemoPeer.Options.defaults(), log);
            synchronized (this) {
                if (!cleaned) { // else the demo is ending: no peer any more
                    peer = p.start();
                    return;
                }
            }
            p.close();
        };
        synchronized (this) {
            if (cleaned) return ExitCodes.OK; // a signal arrived meanwhile
            started = true;
        }
        if (!headless) {
            // The peer (socket.io's client, its HTTP and TLS classes on a cold JVM) is built and started once the
            // first screen is up, on a thread of its own: not on the first screen's path on this two-core budget.
            return openTui(clientDir, url, account, () -> DaemonThreads.start("novyse-demo-peer-start", startPeer));
        }
        startPeer.run();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("server", url);
        info.put("username", DemoWorkspace.USERNAME);
        info.put("password", DemoWorkspace.PASSWORD);
        info.put("account", account);
        info.put("dataDir", clientDir.toString());
        info.put("serverDataDir", serverDir.toString());
        info.put("messages", synced.messages());
        info.put("seedMillis", workspace.took().toMillis());
        System.out.println(Json.mapper().writeValueAsString(info));
        System.out.flush();
        System.err.println("novyse demo: signed in as " + DemoWorkspace.USERNAME + " (password "
                + DemoWorkspace.PASSWORD + "); try: novyse --data-dir " + clientDir + " chats");
        System.err.println("novyse demo: mara and kenji keep talking; Ctrl-C stops the demo"
                + (keep ? " and keeps " + dir : " and deletes " + dir));
        new CountDownLatch(1).await(); // until Ctrl-C or SIGTERM: the shutdown hook cleans up and exits
        return ExitCodes.OK;
    }

    /** The demo server's sync endpoints as {@code userUUID}, called in-process. */
    private static dev.novyse.sync.SyncSource inProcessSync(NovyseServer server, String userUUID) {
        dev.novyse.server.InProcessCalls endpoints = server.inProcess();
        return new dev.novyse.sync.SyncSource() {
            @Override
            public dev.novyse.protocol.InitializeData initialize(int limit) {
                return endpoints.initialize(userUUID, limit);
            }

            @Override
            public dev.novyse.protocol.UpdateData update(dev.novyse.protocol.UpdateRequest request, int limit) {
                return endpoints.update(userUUID, request, limit);
            }
        };
    }

    /**
     * What the demo is doing while it starts: on a terminal one stderr line that rewrites itself (at most ten times
     * a second), elsewhere nothing until {@link #statusDone}. Silent once a signal has stopped the demo.
     */
    private void status(String text) {
        synchronized (line) {
            if (cleaned || !liveStatus) return;
            long now = System.nanoTime();
            if (statusShown && now - statusDrawn < 100_000_000L && !text.endsWith("100%")) return;
            statusDrawn = now;
            System.err.print("\r\033[K" + "novyse demo: " + text);
            System.err.flush();
            statusShown = true;
        }
    }

    /** The start's last line, in place of the progress. */
    private void statusDone(String text) {
        synchronized (line) {
            if (cleaned) return;
            System.err.println((statusShown ? "\r\033[K" : "") + "novyse demo: " + text);
            statusShown = false;
        }
    }

    /** One line at the end, in place of the progress line if there is one. */
    private void finalLine(String text) {
        synchronized (line) {
            System.err.println((statusShown ? "\r\033[K" : "") + "novyse demo: " + text);
            statusShown = false;
        }
    }

    /** The same full-screen client as {@code novyse}, on the demo's throw-away data directory. */
    static int openTui(Path dataRoot, String serverUrl, String accountName, Runnable shown) throws java.io.IOException {
        NovyseCommand demoRoot = new NovyseCommand();
        demoRoot.dataDir = dataRoot;
        demoRoot.server = serverUrl;
        demoRoot.account = accountName;
        return TuiLauncher.open(demoRoot, shown);
    }

    /**
     * Stops the peer and the server, then removes the directories (unless --keep); {@code interrupted}: a signal
     * stopped the start, which one line says. Idempotent, thread-safe.
     */
    private void cleanUp(boolean interrupted) {
        DemoPeer p;
        NovyseServer srv;
        Path d;
        synchronized (this) {
            if (cleaned) return;
            cleaned = true;
            p = peer;
            srv = server;
            d = dir;
        }
        // Outside the lock: closing the server waits for a seeding transaction in progress to end.
        if (p != null) p.close();
        if (srv != null) srv.close();
        if (interrupted) {
            // The start fails fast without its server; until it has stopped it may still write into the directory.
            try {
                mainDone.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (d == null) {
            if (interrupted) finalLine("interrupted");
            return;
        }
        if (keep) {
            finalLine((interrupted ? "interrupted; " : "") + "kept " + d);
        } else {
            boolean removed = deleteTree(d);
            if (interrupted) finalLine("interrupted" + (removed ? "; removed " + d : ""));
        }
    }

    private static Path createPrivateTempDir() {
        // The property as it is now (Main points it at $TMPDIR); the one-argument form reads Java's start-up value.
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            try {
                return Files.createTempDirectory(tmp, "novyse-demo-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                return Files.createTempDirectory(tmp, "novyse-demo-");
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA, "cannot create a temporary directory: " + e.getMessage());
        }
    }

    private static void appendLog(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a courtesy; the demo goes on
        }
    }

    /** Removes {@code root} and everything in it; false (said on stderr) when something stayed. */
    private static boolean deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            System.err.println("novyse demo: could not remove " + root + ": " + e.getMessage());
            return false;
        }
    }
}
