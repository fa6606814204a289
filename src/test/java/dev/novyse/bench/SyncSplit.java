package dev.novyse.bench;

import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.server.BulkSeeder;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.SyncSource;
import dev.novyse.sync.TokenProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a fresh sync's time goes, in one process: the same server and pages as {@link CoreBenchmark}'s, the sync
 * run in-process three times into fresh stores (the JIT warms over the rounds), with the time the fetch thread spent
 * in each page's request (HTTP, the server, JSON) summed beside the whole. A sync whose fetch time is close to its
 * whole waits for pages; one far above it is bound by applying them.
 */
public final class SyncSplit {
    private SyncSplit() {}

    public static void main(String[] args) throws Exception {
        int chats = Integer.getInteger("bench.chats", 20);
        int perChat = Integer.getInteger("bench.perChat", 5000);
        Path work = Files.createTempDirectory("novyse-split");
        NovyseServer server = new NovyseServer(new ServerConfig("127.0.0.1", 0, work.resolve("server"),
                Duration.ofHours(2), 1_000, java.time.Clock.systemUTC())).start();
        Path clientDir = work.resolve("client");
        CoreBenchmark.signup(server.url(), clientDir, "bench");
        CoreBenchmark.signup(server.url(), work.resolve("peer"), "peer");
        BulkSeeder.seed(server, new BulkSeeder.Spec(List.of(CoreBenchmark.uuid(clientDir), CoreBenchmark.uuid(work.resolve("peer"))),
                chats, perChat, 42));
        String token = dev.novyse.protocol.Json.mapper().readTree(CoreBenchmark.credentials(clientDir).toFile()).get("token").asText();
        ApiClient api = new ApiClient(java.net.URI.create(server.url()), TokenProvider.fixed(token));
        for (int round = 1; round <= 3; round++) {
            AtomicLong fetchNanos = new AtomicLong();
            SyncSource timed = new SyncSource() {
                @Override
                public InitializeData initialize(int limit) {
                    long t = System.nanoTime();
                    try {
                        return api.initialize(limit);
                    } finally {
                        fetchNanos.addAndGet(System.nanoTime() - t);
                    }
                }

                @Override
                public UpdateData update(UpdateRequest request, int limit) {
                    long t = System.nanoTime();
                    try {
                        return api.update(request, limit);
                    } finally {
                        fetchNanos.addAndGet(System.nanoTime() - t);
                    }
                }
            };
            long t0 = System.nanoTime();
            long drained = SyncEngine.drain(timed, SyncEngine.DEFAULT_PAGE_LIMIT);
            double drainS = (System.nanoTime() - t0) / 1e9;
            fetchNanos.set(0);
            try (LocalDatabase db = LocalDatabase.open(work.resolve("store-" + round + ".db"))) {
                t0 = System.nanoTime();
                new SyncEngine(timed, db).sync();
                double syncS = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: drain %.2f s (%d msgs); sync %.2f s, of it fetching %.2f s%n",
                        round, drainS, drained, syncS, fetchNanos.get() / 1e9);
            }
        }
        // The same sync as its own process through the launcher (as CoreBenchmark times it), with its CPU time:
        // wall far above user + sys means it waits; JVM options from -Dbench.clientJvmArg, comma-separated variants.
        Path launcher = CoreBenchmark.launcher();
        String variants = System.getProperty("bench.clientJvmArg", "");
        int n = 0;
        for (String opts : (variants.isBlank() ? "-Xms16m" : variants).split(",")) {
            for (int rep = 0; rep < 2; rep++) {
                Path dir = work.resolve("p" + (++n));
                java.io.InputStream in = System.in;
                System.setIn(new java.io.ByteArrayInputStream("bench-password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                try {
                    dev.novyse.cli.Main.run("--data-dir", dir.toString(), "--server", server.url(), "login", "bench");
                } finally {
                    System.setIn(in);
                }
                Path times = work.resolve("time" + n);
                java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
                        "XDG_CACHE_HOME", work.resolve("cache").toString(), "NOVYSE_JAVA_OPTS", opts));
                CoreBenchmark.run(List.of(launcher.toString(), "--version"), env);
                StartupBenchmark.awaitArchive(work.resolve("cache").resolve("novyse"));
                long t0 = System.nanoTime();
                CoreBenchmark.run(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), launcher.toString(),
                        "--data-dir", dir.toString(), "sync", "--quiet"), env);
                double wall = (System.nanoTime() - t0) / 1e9;
                String[] cpu = Files.readString(times).strip().split(" ");
                System.out.printf(Locale.ROOT, "process sync [%s]: wall %.2f s, user %s s, sys %s s%n", opts, wall, cpu[0], cpu[1]);
            }
        }
        server.close();
        System.exit(0);
    }
}
