package dev.novyse.bench;

import dev.novyse.server.BulkSeeder;
import dev.novyse.server.RawApi;
import dev.novyse.server.ServerDatabase;
import dev.novyse.server.TestDatabases;
import dev.novyse.server.db.PostgresUrl;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's capacity in its three layouts (issue 13): SQLite in one process, PostgreSQL with one process, and
 * PostgreSQL with two, each server a {@code novyse serve} JVM of its own (as installed: default password hashing).
 * For each: {@code POST /message} per second and its latency at 1, 8 and 32 concurrent senders (each with a
 * connection and a chat of its own, senders spread over the processes, all in this JVM), the server processes' and
 * PostgreSQL's CPU per message, and initialize rows served per second to two readers at once (one per process). Then, on PostgreSQL
 * alone, what NOTIFY costs: 32 writers bumping counter rows of their own, with and without a notification in each
 * commit. The tests' PostgreSQL (embedded) runs with fsync on and synchronous_commit off here, the pair that matches
 * SQLite's WAL with synchronous=NORMAL (a crash of the machine may lose the last commits, never half of one).
 *
 * <pre>mvn -B -q package -DskipTests && mvn -B -q exec:exec@bench -Dbench.class=dev.novyse.bench.ServerLoadBenchmark
 *     [-Dbench.seconds=5 -Dbench.chats=20 -Dbench.perChat=5000]</pre>
 */
public final class ServerLoadBenchmark {
    private static final int[] SENDERS = {1, 8, 32};
    private static final long TICK_NANOS = 10_000_000L; // /proc CPU times are in 1/100 s

    private ServerLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 5);
        int chats = Integer.getInteger("bench.chats", 20);
        int perChat = Integer.getInteger("bench.perChat", 5000);
        System.setProperty("novyse.test.postgresDurable", "true");
        Path work = Files.createTempDirectory("novyse-server-load");
        System.out.printf(Locale.ROOT, "novyse server load benchmark: %d s per step, initialize of %d x %d messages%n",
                seconds, chats, perChat);
        System.out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println("| layout | senders | msg/s | p50 ms | p99 ms | server CPU µs/msg | PostgreSQL CPU µs/msg |"
                + " senders' CPU µs/msg | model msg/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        List<String> initLines = new ArrayList<>();
        for (String layout : List.of("sqlite-1", "postgresql-1", "postgresql-2")) {
            Path dir = work.resolve(layout);
            PostgresUrl db = layout.startsWith("postgresql") ? TestDatabases.create("load_" + layout.replace('-', '_')) : null;
            int processes = layout.endsWith("2") ? 2 : 1;
            List<ServeProcess> servers = new ArrayList<>();
            try {
                for (int p = 0; p < processes; p++) servers.add(ServeProcess.start(dir, db, dir.resolve("serve-" + p + ".log")));
                RawApi setup = new RawApi(servers.get(0).url);
                RawApi.Account reader = setup.signup("reader");
                List<RawApi.Account> senders = new ArrayList<>();
                List<String> senderChats = new ArrayList<>();
                for (int s = 0; s < 32; s++) {
                    RawApi.Account a = setup.signup("sender" + s);
                    senders.add(a);
                    senderChats.add(setup.ok(setup.post("/chat/create", a.token(), Map.of("type", "GROUP",
                            "name", "load " + s, "memberUUIDs", List.of(reader.uuid())))).path("chat").path("uuid").asText());
                }
                // Fresh server JVMs compile for their first thousands of requests (the JIT took 40 % of a new
                // process's CPU over its first 1,300 sends): a discarded round first, as a running server is warm.
                sends(layout, servers, senders, senderChats, 8, seconds, db != null, false);
                for (int n : SENDERS) {
                    sends(layout, servers, senders, senderChats, n, seconds, db != null, true);
                }
                try (ServerDatabase seed = db == null ? ServerDatabase.open(dir.resolve("server.db")) : ServerDatabase.open(db)) {
                    BulkSeeder.seed(seed, new BulkSeeder.Spec(List.of(reader.uuid(), senders.get(0).uuid()), chats, perChat, 7));
                }
                initLines.add(initialize(layout, servers, reader));
            } finally {
                for (ServeProcess s : servers) s.close();
            }
        }
        System.out.println();
        System.out.println("| layout | initialize rows/s (two readers at once) |");
        System.out.println("|---|---|");
        initLines.forEach(System.out::println);
        notifyCost(seconds);
    }

    private static void sends(String layout, List<ServeProcess> servers, List<RawApi.Account> senders,
                              List<String> chats, int n, int seconds, boolean postgres, boolean print) throws Exception {
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        List<List<Long>> latencies = new ArrayList<>();
        AtomicLong counted = new AtomicLong();
        long[] cpuAtStart = new long[3];
        CompletableFuture<Void> mark = new CompletableFuture<>();
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            RawApi api = new RawApi(servers.get(s % servers.size()).url);
            RawApi.Account who = senders.get(s);
            Map<String, Object> body = Map.of("chatUUID", chats.get(s), "content", "load " + layout);
            threads.add(CompletableFuture.runAsync(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    long t0 = System.nanoTime();
                    api.ok(api.post("/message", who.token(), body));
                    long t1 = System.nanoTime();
                    if (t0 >= warmEnd) {
                        mine.add(t1 - t0);
                        counted.incrementAndGet();
                    }
                }
            }, r -> new Thread(r, "sender").start()));
        }
        while (System.nanoTime() < warmEnd) Thread.sleep(5);
        cpuAtStart[0] = serverTicks(servers);
        cpuAtStart[1] = postgres ? postgresTicks() : 0;
        cpuAtStart[2] = cpuTicks(ProcessHandle.current().pid());
        for (CompletableFuture<Void> t : threads) t.get();
        long jvm = serverTicks(servers) - cpuAtStart[0];
        long pg = postgres ? postgresTicks() - cpuAtStart[1] : 0;
        long own = cpuTicks(ProcessHandle.current().pid()) - cpuAtStart[2];
        if (!print) return;
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        Collections.sort(all);
        long msgs = counted.get();
        double server = jvm * TICK_NANOS / 1e3 / msgs;
        double database = pg * TICK_NANOS / 1e3 / msgs;
        double clients = own * TICK_NANOS / 1e3 / msgs;
        // The capacity model of docs/scaling.md: every core busy, each message costs what the three parts spent.
        double model = Runtime.getRuntime().availableProcessors() * 1e6 / (server + database + clients);
        System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %.2f | %.0f | %s | %.0f | %,.0f |%n", layout, n,
                msgs / (double) seconds, all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6,
                server, postgres ? String.format(Locale.ROOT, "%.0f", database) : "-", clients, model);
    }

    /** Two readers at once, one per process (both on the one process with one), each a whole initialize. */
    private static String initialize(String layout, List<ServeProcess> servers, RawApi.Account reader) throws Exception {
        // A first pass warms what a running server has warm (code, caches); timed: the second.
        drainBoth(servers, reader);
        long t0 = System.nanoTime();
        long rows = drainBoth(servers, reader);
        double s = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "| %s | %,.0f (%,d rows in %.2f s) |", layout, rows / s, rows, s);
    }

    private static long drainBoth(List<ServeProcess> servers, RawApi.Account reader) throws Exception {
        List<CompletableFuture<Long>> drains = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            ApiClient api = new ApiClient(URI.create(servers.get(r % servers.size()).url), TokenProvider.fixed(reader.token()));
            drains.add(CompletableFuture.supplyAsync(() -> SyncEngine.drain(api, SyncEngine.DEFAULT_PAGE_LIMIT)));
        }
        long rows = 0;
        for (CompletableFuture<Long> d : drains) rows += d.get();
        return rows;
    }

    /** Commits per second of 32 writers each bumping its own counter row, with and without a NOTIFY in each commit. */
    private static void notifyCost(int seconds) throws Exception {
        PostgresUrl db = TestDatabases.create("load_notify");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE counters(id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
            s.execute("INSERT INTO counters SELECT g, 0 FROM generate_series(0, 31) g");
        }
        System.out.println();
        System.out.println("| 32 writers, own counter rows | commits/s |");
        System.out.println("|---|---|");
        for (boolean notify : new boolean[]{false, true, false, true}) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong commits = new AtomicLong();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 32; w++) {
                int id = w;
                writers.add(CompletableFuture.runAsync(() -> {
                    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                         Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        while (System.nanoTime() < end) {
                            s.execute("UPDATE counters SET n = n + 1 WHERE id = " + id);
                            if (notify) s.execute("SELECT pg_notify('bench', '" + id + "')");
                            c.commit();
                            commits.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, r -> new Thread(r, "writer").start()));
            }
            for (CompletableFuture<Void> w : writers) w.get();
            System.out.printf(Locale.ROOT, "| %s | %,.0f |%n", notify ? "with pg_notify" : "without", commits.get() / (double) seconds);
        }
    }

    private static long serverTicks(List<ServeProcess> servers) {
        return servers.stream().mapToLong(s -> cpuTicks(s.process.pid())).sum();
    }

    /** {@code novyse serve} in a JVM of its own, on SQLite in {@code dir} or on {@code db}. */
    private static final class ServeProcess implements AutoCloseable {
        final Process process;
        final String url;

        private ServeProcess(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static ServeProcess start(Path dir, PostgresUrl db, Path log) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.novyse.cli.Main", "--data-dir", dir.toString(),
                    "serve", "--port", "0"));
            if (db != null) {
                cmd.addAll(List.of("--database", "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/"
                        + db.database()));
            }
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile()).start();
            java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && p.isAlive()) {
                java.util.regex.Matcher m = listening.matcher(Files.readString(log));
                if (m.find()) return new ServeProcess(p, m.group(1));
                Thread.sleep(50);
            }
            p.destroyForcibly();
            throw new IllegalStateException("novyse serve did not start; see " + log);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    /** User + system CPU of a process so far, in ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception gone) {
            return 0;
        }
    }

    /** CPU of every PostgreSQL process (the postmaster, its helpers and the connections' backends). */
    private static long postgresTicks() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToLong(p -> cpuTicks(p.pid())).sum();
    }
}
