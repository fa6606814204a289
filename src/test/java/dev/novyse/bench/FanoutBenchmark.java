package dev.novyse.bench;

import dev.novyse.bench.LiveBenchmark.Account;
import dev.novyse.bench.LiveBenchmark.ServerProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's CPU per live delivery (issue 13): one sender posts to a GROUP of {@code bench.sockets} members, each
 * with a Socket.IO connection, at each rate for {@code bench.seconds}; the server's CPU time (user + system, from
 * /proc) over the deliveries. The receivers are one node process on one event loop over raw websockets that counts
 * {@code message:new} frames without decoding them ({@code src/test/js/fanout-receivers.js}), so they cost less per
 * delivery than the server and the 2 cores are not eaten by 1,000 client threads (LiveBenchmark's Java clients cost
 * 42–47 µs per delivery, more than the server). Each round ends when every frame has arrived.
 *
 * <p>Before the measured rounds the server is warmed up at each rate for {@code bench.warmupSeconds}: without it the
 * first rounds measured the JIT's work too (at 10 messages/s, six 30 s rounds in a row read 15.6, 15.2, 14.4, 13.7,
 * 13.8, 13.7 µs per delivery after a warm-up of 5 s at 50 messages/s).
 *
 * <pre>mvn -B -q test-compile exec:exec@bench -Dbench.class=dev.novyse.bench.FanoutBenchmark
 *     [-Dbench.sockets=1000 -Dbench.rates=10,20,30,40,50,100 -Dbench.seconds=30 -Dbench.warmupSeconds=60]
 *     [-Dbench.database=postgresql]</pre>
 */
public final class FanoutBenchmark {
    private static final Path MODULES = Path.of("target", "js", "node_modules").toAbsolutePath();
    private static final Path SCRIPT = Path.of("src", "test", "js", "fanout-receivers.js").toAbsolutePath();

    private FanoutBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sockets = Integer.getInteger("bench.sockets", 1000);
        int[] rates = Arrays.stream(System.getProperty("bench.rates", "10,20,30,40,50,100").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.seconds", 30);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 60);
        Path work = Files.createTempDirectory("novyse-fanout-bench");
        System.out.println("novyse fan-out benchmark: " + sockets + " sockets in one chat, node receivers (work dir " + work + ")");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ", open files limit " + LiveBenchmark.openFilesLimit());
        // -Dbench.database=postgresql: the server on a PostgreSQL database this JVM starts (as the tests' own)
        String database = null;
        if (System.getProperty("bench.database", "sqlite").equals("postgresql")) {
            System.setProperty("novyse.test.postgresDurable", "true");
            dev.novyse.server.db.PostgresUrl db = dev.novyse.server.TestDatabases.create("fanout");
            database = "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database();
        }
        System.out.println("server store: " + (database == null ? "SQLite" : "PostgreSQL, " + database));
        try (ServerProcess server = ServerProcess.start(work.resolve("server"), database)) {
            String url = server.url;
            long t0 = System.nanoTime();
            Account sender = LiveBenchmark.signup(url, "sender");
            Account[] members = signUp(url, sockets);
            String chat = LiveBenchmark.group(url, sender, Arrays.stream(members).map(Account::uuid).toList());
            Path tokens = work.resolve("tokens");
            Files.write(tokens, Arrays.stream(members).map(Account::token).toList());
            System.out.printf(Locale.ROOT, "%,d members signed up and in one GROUP chat in %.1f s%n", sockets,
                    (System.nanoTime() - t0) / 1e9);
            try (Receivers receivers = Receivers.start(url, tokens, sockets)) {
                System.out.printf(Locale.ROOT, "%,d connections admitted in %.1f s (node pid %d)%n", sockets,
                        receivers.openSeconds, receivers.process.pid());
                // Each first connection tells its contacts (all members) it is online: about half a million presence
                // frames go out after the connections open. The rounds start once the server is quiet again.
                System.out.printf(Locale.ROOT, "presence announcements settled after %.1f s more%n", settle(server));
                for (int rate : rates) { // warm-up: the JIT, buffers, the heap's sizes
                    round(server, receivers, url, sender, chat, 0, rate, warmupSeconds, sockets, false, 0);
                }
                System.out.printf(Locale.ROOT, "warmed up at each rate for %d s%n", warmupSeconds);
                settle(server);
                double i0 = server.cpuSeconds();
                double r0 = receivers.cpuSeconds();
                Thread.sleep(5_000);
                double idleCores = (server.cpuSeconds() - i0) / 5;
                System.out.printf(Locale.ROOT, "idle, %,d connections open: server %.3f cores, receivers %.3f cores%n",
                        sockets, idleCores, (receivers.cpuSeconds() - r0) / 5);
                System.out.println();
                // "net": the server's CPU over the round less what it spends idle with the same connections open
                // over the same time (timers, pings), which at low rates is a large part of the gross figure.
                System.out.println("| msg/s | deliveries/s offered | achieved | delivered | drain after the last send | server cores |"
                        + " server µs per delivery | net of idle | receivers µs per delivery |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
                int round = 1;
                for (int rate : rates) {
                    round(server, receivers, url, sender, chat, round++, rate, seconds, sockets, true, idleCores);
                }
                System.out.println();
                System.out.println("closed connections: " + receivers.closed.get() + " (receivers do not reconnect)");
            }
        }
        System.exit(0);
    }

    /** Waits until the server uses under 5 % of a core over a second (at most two minutes); returns the seconds waited. */
    private static double settle(ServerProcess server) throws InterruptedException {
        long t0 = System.nanoTime();
        double before = server.cpuSeconds();
        for (int i = 0; i < 120; i++) {
            Thread.sleep(1000);
            double now = server.cpuSeconds();
            if (now - before < 0.05) break;
            before = now;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Account[] signUp(String url, int n) throws Exception {
        Account[] members = new Account[n];
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            inFlight.acquire();
            pending.add(CompletableFuture.runAsync(() -> {
                try {
                    members[k] = LiveBenchmark.signup(url, String.format(Locale.ROOT, "fan%04d", k));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return members;
    }

    private static void round(ServerProcess server, Receivers receivers, String url, Account sender, String chat,
                              int round, int rate, int seconds, int sockets, boolean print, double idleCores)
            throws Exception {
        int count = rate * seconds;
        long expected = (long) count * sockets;
        long c0 = receivers.count.get();
        double s0 = server.cpuSeconds();
        double k0 = systemSeconds(server.pid());
        double n0 = receivers.cpuSeconds();
        long t0 = System.nanoTime();
        LiveBenchmark.send(url, sender, chat, round, count, rate, null);
        long sent = System.nanoTime();
        boolean all = receivers.await(c0 + expected);
        long t1 = System.nanoTime();
        double s1 = server.cpuSeconds();
        double k1 = systemSeconds(server.pid());
        double n1 = receivers.cpuSeconds();
        long delivered = receivers.count.get() - c0;
        double dt = (t1 - t0) / 1e9;
        if (!print) return;
        System.out.printf(Locale.ROOT, "| %d | %,d | %,.0f | %.2f %%%s | %.2f s | %.2f | %.1f (kernel %.1f) | %.1f | %.1f |%n",
                rate, (long) rate * sockets, delivered / dt, 100.0 * delivered / expected, all ? "" : " (gave up)",
                (t1 - sent) / 1e9, (s1 - s0) / dt, (s1 - s0) * 1e6 / delivered, (k1 - k0) * 1e6 / delivered,
                (s1 - s0 - idleCores * dt) * 1e6 / delivered, (n1 - n0) * 1e6 / delivered);
    }

    /** The kernel's share of a process's CPU time (stime), in seconds: on loopback a socket write also runs the peer's receive path. */
    static double systemSeconds(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[12]) / (double) LiveBenchmark.clockTicks();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** The node process and what it reports. */
    static final class Receivers implements AutoCloseable {
        final Process process;
        final AtomicLong count = new AtomicLong();
        final AtomicLong closed = new AtomicLong();
        double openSeconds;

        private Receivers(Process process) {
            this.process = process;
        }

        static Receivers start(String url, Path tokens, int sockets) throws Exception {
            ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString(), url, tokens.toString())
                    .redirectError(tokens.resolveSibling("receivers.log").toFile());
            pb.environment().put("NODE_PATH", MODULES.toString());
            long t0 = System.nanoTime();
            Receivers r = new Receivers(pb.start());
            CountDownLatch open = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("count ")) r.count.set(Long.parseLong(line.substring(6)));
                        else if (line.startsWith("open ")) open.countDown();
                        else if (line.startsWith("closed ")) r.closed.incrementAndGet();
                        else System.out.println("receivers: " + line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "receivers");
            reader.setDaemon(true);
            reader.start();
            if (!open.await(180, TimeUnit.SECONDS)) {
                r.close();
                throw new IllegalStateException("the receivers did not all connect in 180 s");
            }
            r.openSeconds = (System.nanoTime() - t0) / 1e9;
            return r;
        }

        double cpuSeconds() {
            return LiveBenchmark.cpuSeconds(Path.of("/proc/" + process.pid() + "/stat"));
        }

        /** Waits for {@code target} frames; false after 15 s without progress. The count is polled (a report, not a sync). */
        boolean await(long target) throws InterruptedException {
            long last = -1;
            long lastProgress = System.nanoTime();
            while (count.get() < target) {
                long now = System.nanoTime();
                if (count.get() != last) {
                    last = count.get();
                    lastProgress = now;
                }
                if (now - lastProgress > 15_000_000_000L) return false;
                Thread.sleep(20);
            }
            Thread.sleep(150); // the count is reported every 100 ms: let the last report arrive
            return true;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
