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
        String hold = System.getProperty("bench.holdFile");
        if (hold != null && !hold.isBlank()) {
            // Keeps the seeded server up for hand-run experiments until the named file appears.
            System.out.println("server " + server.url() + " work " + work);
            SyncEngine.drain(api, SyncEngine.DEFAULT_PAGE_LIMIT);
            System.out.println("ready");
            String catchUp = System.getProperty("bench.catchUpFile");
            if (catchUp != null && !catchUp.isBlank()) {
                // then, once that file appears (a client synced by hand), the core benchmark's catch-up work
                while (!Files.exists(Path.of(catchUp))) Thread.sleep(500);
                List<String> chatUUIDs = new java.util.ArrayList<>();
                for (var c : api.initialize(1).chats()) chatUUIDs.add(c.uuid());
                CoreBenchmark.CatchUp.seed(server, chatUUIDs, CoreBenchmark.uuid(clientDir), CoreBenchmark.uuid(work.resolve("peer")));
                System.out.println("catch-up seeded");
            }
            while (!Files.exists(Path.of(hold))) Thread.sleep(500);
            server.close();
            System.exit(0);
        }
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
        if (Boolean.getBoolean("bench.parts")) parts(server.url(), token, api, work);
        // The same sync as its own process through the launcher (as CoreBenchmark times it), with its CPU time:
        // wall far above user + sys means it waits; JVM options from -Dbench.clientJvmArg, comma-separated variants.
        Path launcher = CoreBenchmark.launcher();
        String variants = System.getProperty("bench.clientJvmArg", "");
        int n = 0;
        for (String opts : variants.split(",", -1)) { // "": the launcher's own flags
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

    /**
     * The warm cost of each part of a fresh sync, separately, five rounds: the server and HTTP (the pages' bytes,
     * not parsed), JSON (the bytes into records, as ApiClient reads them) and the store (the records applied).
     */
    private static void parts(String url, String token, ApiClient api, Path work) throws Exception {
        java.util.List<UpdateRequest> requests = new java.util.ArrayList<>();
        InitializeData[] firstPage = new InitializeData[1];
        SyncEngine.drain(new SyncSource() {
            @Override
            public InitializeData initialize(int limit) {
                return firstPage[0] = api.initialize(limit);
            }

            @Override
            public UpdateData update(UpdateRequest r, int limit) {
                requests.add(r);
                return api.update(r, limit);
            }
        }, SyncEngine.DEFAULT_PAGE_LIMIT);
        InitializeData first = firstPage[0];
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            java.util.List<byte[]> bodies = new java.util.ArrayList<>();
            long bytes = 0;
            for (UpdateRequest r : requests) {
                java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/user/update?limit=" + SyncEngine.DEFAULT_PAGE_LIMIT))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(dev.novyse.protocol.Json.mapper().writeValueAsBytes(r))).build();
                byte[] body = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
                bytes += body.length;
                bodies.add(body);
            }
            double fetchS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            java.util.List<UpdateData> pages = new java.util.ArrayList<>();
            for (byte[] body : bodies) {
                com.fasterxml.jackson.databind.JsonNode tree = null;
                try (com.fasterxml.jackson.core.JsonParser p = dev.novyse.protocol.Json.mapper().getFactory().createParser(body)) {
                    p.nextToken();
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if (field.equals("data")) pages.add(dev.novyse.protocol.Json.mapper().readValue(p, UpdateData.class));
                        else p.skipChildren();
                    }
                }
            }
            double parseS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            dev.novyse.sync.BatchApplier applier = new dev.novyse.sync.BatchApplier();
            try (LocalDatabase db = LocalDatabase.open(work.resolve("parts-" + round + ".db"))) {
                db.inTransaction(tx -> {
                    applier.applyInitialize(new dev.novyse.store.StoreWriter(tx), first, new dev.novyse.sync.ApplyStats());
                    return null;
                });
                for (UpdateData page : pages) {
                    db.inTransaction(tx -> {
                        applier.applyUpdate(new dev.novyse.store.StoreWriter(tx), page, new dev.novyse.sync.ApplyStats());
                        return null;
                    });
                }
            }
            double applyS = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "parts round %d: %d pages, %.1f MB; server+HTTP %.2f s, JSON %.2f s, store %.2f s%n",
                    round, bodies.size(), bytes / 1e6, fetchS, parseS, applyS);
        }
    }
}
