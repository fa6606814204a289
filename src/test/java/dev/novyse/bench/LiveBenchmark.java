package dev.novyse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.account.AccountClient;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.ChatActions;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;
import io.socket.client.IO;
import io.socket.client.Socket;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The live channel benchmark (issue: live). The server runs as its own process (so its CPU and heap can be read and
 * it does not share a garbage collector with the clients); everything else runs in this JVM.
 *
 * <ol>
 * <li><b>Latency</b>, two accounts in one GROUP chat. Alice sends with the client's own send path
 * ({@link ChatActions#send}: outbox row, {@code POST /message}, the confirmed message stored, outbox entry removed);
 * Bob runs the real {@link LiveChannel} (websocket), which commits each message to his SQLite store before it calls
 * its listener. Measured: send start → Bob's listener. Baseline in the same run, interleaved one for one: a raw
 * {@code POST /message} round trip (java.net.http, same body), i.e. what the server needs to take a message.
 * One message at a time: each waits for Bob's listener before the next goes.</li>
 * <li><b>Fan-out</b>: {@code bench.sockets} members of one GROUP chat, each with its own Socket.IO connection (the Java
 * {@code io.socket} client, websocket transport, one shared OkHttp client), real handshakes with each member's
 * token. One sender posts each rate of {@code bench.rates} messages per second for {@code bench.seconds} seconds (after a 2 s
 * warm-up). Measured: delivered / expected, delivery latency (POST start → the receiver's {@code message:new}
 * handler) over all receivers, server CPU (from {@code /proc}) and heap (reported by the server process).</li>
 * </ol>
 *
 * <p>Run: {@code mvn -B -q test-compile exec:exec@bench -Dbench.class=dev.novyse.bench.LiveBenchmark}
 * (sizes: {@code -Dbench.sends=2000 -Dbench.sockets=1000 -Dbench.rates=10,20,30,40,50,100 -Dbench.seconds=30}: the
 * fan-out runs one round per rate, in that order, and stops after a round that did not drain within 180 s).
 */
public final class LiveBenchmark {
    private LiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("server")) {
            serve(Path.of(args[1]), args.length == 3 ? dev.novyse.server.db.PostgresUrl.parse(args[2]) : null);
            return;
        }
        int sends = Integer.getInteger("bench.sends", 2000);
        int sockets = Integer.getInteger("bench.sockets", 1000);
        int[] rates = Arrays.stream(System.getProperty("bench.rates", "10,20,30,40,50,100").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.seconds", 30);
        Path work = Files.createTempDirectory("novyse-live-bench");
        System.out.println("novyse live benchmark (work dir " + work + ")");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", open files limit " + openFilesLimit());
        try (ServerProcess server = ServerProcess.start(work.resolve("server"))) {
            System.out.println("server: own process, pid " + server.pid() + ", " + server.url);
            if (sends > 0) latency(server, work, sends);
            fanOut(server, sockets, rates, seconds);
        }
        System.exit(0); // OkHttp's and the Socket.IO client's non-daemon threads would keep the JVM for another minute
    }

    // ---- the server process --------------------------------------------------------------------------------

    /**
     * The child: a server on a free port (cheap password hashing: 1,000 sign-ups), on SQLite in {@code dir} or on the
     * PostgreSQL database given, reporting its heap each second.
     */
    private static void serve(Path dir, dev.novyse.server.db.PostgresUrl database) throws Exception {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dir, Duration.ofHours(2), 1_000, Clock.systemUTC());
        NovyseServer server = new NovyseServer(database == null ? config : config.withDatabase(database)).start();
        System.out.println("url " + server.url());
        System.out.flush();
        var memory = ManagementFactory.getMemoryMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        while (true) {
            var heap = memory.getHeapMemoryUsage();
            System.out.println("stat " + heap.getUsed() / 1048576 + " " + heap.getCommitted() / 1048576 + " "
                    + threads.getThreadCount());
            System.out.flush();
            Thread.sleep(250);
        }
    }

    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String url;
        final AtomicLong heapUsedMiB = new AtomicLong();
        final AtomicLong heapMaxUsedMiB = new AtomicLong();
        final AtomicLong heapCommittedMiB = new AtomicLong();
        final AtomicLong threads = new AtomicLong();

        private ServerProcess(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static ServerProcess start(Path dir) throws IOException {
            return start(dir, null);
        }

        /** A server process on SQLite in {@code dir}, or on {@code database} (a libpq URI) when it is given. */
        static ServerProcess start(Path dir, String database) throws IOException {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(CoreBenchmark.java(), "-Xmx2g"));
            // e.g. -XX:StartFlightRecording=filename=server.jfr, or "-XX:-UseParallelGC -XX:+UseG1GC" (split on spaces)
            String extra = System.getenv("NOVYSE_BENCH_SERVER_JVM_ARG");
            if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.trim().split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LiveBenchmark.class.getName(), "server",
                    dir.toString()));
            if (database != null) command.add(database);
            Process p = new ProcessBuilder(command)
                    .redirectError(dir.resolve("server.log").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            while (first != null && !first.startsWith("url ")) first = out.readLine(); // e.g. JFR's greeting
            if (first == null) {
                p.destroyForcibly();
                throw new IllegalStateException("the server process did not start; see " + dir.resolve("server.log"));
            }
            ServerProcess s = new ServerProcess(p, first.substring(4));
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        String[] f = line.split(" ");
                        if (f.length == 4 && f[0].equals("stat")) {
                            long used = Long.parseLong(f[1]);
                            s.heapUsedMiB.set(used);
                            s.heapMaxUsedMiB.accumulateAndGet(used, Math::max);
                            s.heapCommittedMiB.set(Long.parseLong(f[2]));
                            s.threads.set(Long.parseLong(f[3]));
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "server-stats");
            reader.setDaemon(true);
            reader.start();
            return s;
        }

        long pid() {
            return process.pid();
        }

        /** CPU seconds (user + system) the process used so far. */
        double cpuSeconds() {
            return LiveBenchmark.cpuSeconds(Path.of("/proc/" + pid() + "/stat"));
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- 1. send -> receive latency ------------------------------------------------------------------------

    /** A signed-up account: token and session as the server answered. */
    record Account(String name, String uuid, String token, String session) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static JsonNode call(String url, String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                .method(method, HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body());
    }

    static Account signup(String url, String name) throws Exception {
        JsonNode r = call(url, "POST", "/signup/password", null, Map.of("username", name, "password", "bench-password",
                "name", name));
        return new Account(name, r.get("userUUID").asText(), r.get("token").asText(), r.get("session_id").asText());
    }

    static String group(String url, Account owner, List<String> members) throws Exception {
        return call(url, "POST", "/chat/create", owner.token(), Map.of("type", "GROUP", "name", "bench",
                "memberUUIDs", members)).path("data").path("chat").path("uuid").asText();
    }

    private static void latency(ServerProcess server, Path work, int sends) throws Exception {
        String url = server.url;
        Account alice = signup(url, "alice");
        Account bob = signup(url, "bob");
        String chat = group(url, alice, List.of(bob.uuid()));

        BlockingQueue<Object[]> received = new LinkedBlockingQueue<>(); // {content, nanoTime, source}
        LocalDatabase bobDb = LocalDatabase.open(work.resolve("bob.db"));
        TokenProvider bobTokens = TokenProvider.fixed(bob.token());
        SyncEngine bobEngine = new SyncEngine(new ApiClient(URI.create(url), bobTokens), bobDb, SyncEngine.DEFAULT_PAGE_LIMIT);
        CountDownLatch connected = new CountDownLatch(1);
        LiveChannel channel = new LiveChannel(URI.create(url), bobTokens, bobDb, bobEngine,
                LiveChannel.Options.defaults().withTransports("websocket"));
        channel.subscribe(e -> {
            if (e instanceof ChannelEvent.MessageArrived m) {
                received.add(new Object[] {m.message().content(), System.nanoTime(), m.source()});
            } else if (e instanceof ChannelEvent.StatusChanged s && s.status() == LiveChannel.Status.CONNECTED) {
                connected.countDown();
            }
        });
        channel.start();
        if (!connected.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("bob's channel did not connect");

        LocalDatabase aliceDb = LocalDatabase.open(work.resolve("alice.db"));
        ApiClient aliceApi = new ApiClient(URI.create(url), TokenProvider.fixed(alice.token()));
        new SyncEngine(aliceApi, aliceDb, SyncEngine.DEFAULT_PAGE_LIMIT).sync();
        ChatActions actions = new AccountClient(aliceDb, aliceApi, TokenProvider.fixed(alice.token()), URI.create(url))
                .chatActions(work.resolve("alice-cache"));

        int warmup = Math.max(100, sends / 10);
        long[] clientSend = new long[sends];     // ChatActions.send round trip
        long[] clientToBob = new long[sends];    // ChatActions.send start -> Bob's listener
        long[] rawPost = new long[sends];        // raw POST /message round trip
        long[] rawToBob = new long[sends];       // raw POST start -> Bob's listener
        for (int i = -warmup; i < sends; i++) {
            // Client send path and raw POST alternate, so both see the same machine.
            String a = "client " + i;
            long t0 = System.nanoTime();
            OutboxSender.Result r = actions.send(chat, 0, a, null);
            long t1 = System.nanoTime();
            if (r.state() != OutboxSender.State.DELIVERED) throw new IllegalStateException("not delivered: " + r);
            long tb = awaitReceived(received, a);
            String b = "raw " + i;
            long t2 = System.nanoTime();
            call(url, "POST", "/message", alice.token(), Map.of("chatUUID", chat, "subID", 0, "content", b));
            long t3 = System.nanoTime();
            long tr = awaitReceived(received, b);
            if (i >= 0) {
                clientSend[i] = t1 - t0;
                clientToBob[i] = tb - t0;
                rawPost[i] = t3 - t2;
                rawToBob[i] = tr - t2;
            }
        }
        long syncs = channel.stats().syncs();
        channel.close();
        bobDb.close();
        aliceDb.close();
        System.out.printf(Locale.ROOT, "%n1. send -> receive latency, one chat, %,d messages each way after %d warm-up (ms):%n",
                sends, warmup);
        System.out.println("                                           p50      p90      p99      max");
        row("raw POST /message round trip (baseline)", rawPost);
        row("client send (outbox, POST, store)", clientSend);
        row("client send start -> Bob's listener", clientToBob);
        row("raw POST start -> Bob's listener", rawToBob);
        System.out.printf(Locale.ROOT, "   ratios to the raw POST round trip, p50 / p99: client send -> Bob's listener %.2f / %.2f;"
                        + " raw POST -> Bob's listener %.2f / %.2f (Bob's channel synced %d time(s), websocket)%n",
                pct(clientToBob, 50) / pct(rawPost, 50), pct(clientToBob, 99) / pct(rawPost, 99),
                pct(rawToBob, 50) / pct(rawPost, 50), pct(rawToBob, 99) / pct(rawPost, 99), syncs);
    }

    private static long awaitReceived(BlockingQueue<Object[]> received, String content) throws InterruptedException {
        while (true) {
            Object[] r = received.poll(30, TimeUnit.SECONDS);
            if (r == null) throw new IllegalStateException("Bob never got '" + content + "'");
            if (content.equals(r[0])) {
                if (r[2] != LiveChannel.Source.LIVE) throw new IllegalStateException("'" + content + "' came by " + r[2]);
                return (Long) r[1];
            }
        }
    }

    // ---- 2. fan-out ----------------------------------------------------------------------------------------

    /** What the receivers got of one round's messages. Written on the Socket.IO client's event thread. */
    static final class Round {
        final int total;
        final int sockets;
        final AtomicLongArray latency; // [seq * sockets + receiver] = nanos from POST start to the handler, 0 = not yet
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();

        Round(int total, int sockets) {
            this.total = total;
            this.sockets = sockets;
            this.latency = new AtomicLongArray(Math.multiplyExact(total, sockets));
        }

        /** {@code lastId}: per receiver, the highest message id it got so far (ids are dense per chat and sub). */
        void record(int receiver, int seq, long id, long nanos, AtomicLongArray lastId) {
            if (!latency.compareAndSet(seq * sockets + receiver, 0, Math.max(1, nanos))) {
                duplicates.incrementAndGet();
                return;
            }
            // An id below one already received: what a live client sees as a skipped id (a gap), then a duplicate.
            if (id < lastId.get(receiver)) outOfOrder.incrementAndGet();
            else lastId.set(receiver, id);
            delivered.incrementAndGet();
        }

        long[] latencies() {
            long[] out = new long[(int) delivered.get()];
            int k = 0;
            for (int i = 0; i < latency.length() && k < out.length; i++) {
                long v = latency.get(i);
                if (v != 0) out[k++] = v;
            }
            return Arrays.copyOf(out, k);
        }
    }

    private static void fanOut(ServerProcess server, int sockets, int[] rates, int seconds) throws Exception {
        String url = server.url;
        long t0 = System.nanoTime();
        Account sender = signup(url, "sender");
        Account[] members = new Account[sockets];
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            int k = i;
            inFlight.acquire();
            pending.add(CompletableFuture.runAsync(() -> {
                try {
                    members[k] = signup(url, String.format(Locale.ROOT, "fan%04d", k));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        String chat = group(url, sender, Arrays.stream(members).map(Account::uuid).toList());
        System.out.printf(Locale.ROOT, "%n2. fan-out: %,d members signed up and in one GROUP chat in %.1f s%n",
                sockets, (System.nanoTime() - t0) / 1e9);

        // One OkHttp client for every connection: one connection pool and a dispatcher whose limits do not cap
        // the number of open websockets (OkHttp's defaults allow 5 per host).
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(sockets * 2);
        dispatcher.setMaxRequestsPerHost(sockets * 2);
        OkHttpClient ok = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(0, TimeUnit.MILLISECONDS).build();

        // Round 0 is the warm-up; content is "r<round> <seq> <POST start nanoTime>".
        List<Round> rounds = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong frameBytes = new AtomicLong();
        AtomicLongArray lastId = new AtomicLongArray(sockets);
        Map<String, Integer> disconnects = new java.util.concurrent.ConcurrentHashMap<>(); // reason -> receivers (they do not reconnect)
        List<Socket> open = new ArrayList<>();
        t0 = System.nanoTime();
        int wave = 100;
        for (int from = 0; from < sockets; from += wave) {
            CountDownLatch up = new CountDownLatch(Math.min(wave, sockets - from));
            for (int i = from; i < Math.min(sockets, from + wave); i++) {
                int receiver = i;
                IO.Options o = new IO.Options();
                o.forceNew = true;
                o.reconnection = false;
                o.transports = new String[] {"websocket"};
                o.callFactory = ok;
                o.webSocketFactory = ok;
                o.auth = Map.of("token", members[i].token());
                Socket s = IO.socket(URI.create(url), o);
                s.on(Socket.EVENT_CONNECT, a -> up.countDown());
                s.on(Socket.EVENT_CONNECT_ERROR, a -> System.out.println("connect error: " + (a.length > 0 ? a[0] : "")));
                s.on(Socket.EVENT_DISCONNECT, a -> {
                    String why = String.valueOf(a.length > 0 ? a[0] : "");
                    if (!why.equals("io client disconnect")) disconnects.merge(why, 1, Integer::sum);
                });
                s.on("message:new", a -> {
                    long now = System.nanoTime();
                    String content = ((JSONObject) a[0]).optString("content");
                    int sp1 = content.indexOf(' ');
                    int sp2 = content.indexOf(' ', sp1 + 1);
                    int round = Integer.parseInt(content.substring(1, sp1));
                    int seq = Integer.parseInt(content.substring(sp1 + 1, sp2));
                    long sent = Long.parseLong(content.substring(sp2 + 1));
                    if (frameBytes.get() == 0) frameBytes.set(("42[\"message:new\"," + a[0] + "]").length());
                    rounds.get(round).record(receiver, seq, ((JSONObject) a[0]).optLong("id"), now - sent, lastId);
                });
                s.connect();
                open.add(s);
            }
            if (!up.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("sockets did not connect");
        }
        System.out.printf(Locale.ROOT, "   %,d Socket.IO connections (websocket) open in %.1f s; this JVM has %d threads,"
                        + " the server %d%n", sockets, (System.nanoTime() - t0) / 1e9,
                ManagementFactory.getThreadMXBean().getThreadCount(), server.threads.get());

        Round warm = new Round(2 * rates[0], sockets);
        rounds.add(warm);
        send(url, sender, chat, 0, warm.total, rates[0], null);
        awaitCount(warm.delivered, (long) warm.total * sockets, Duration.ofSeconds(120));

        List<String> table = new ArrayList<>();
        for (int rate : rates) {
            Round r = new Round(rate * seconds, sockets);
            int number = rounds.size();
            rounds.add(r);
            server.heapMaxUsedMiB.set(0);
            long[] postReply = new long[r.total];
            double serverCpu0 = server.cpuSeconds();
            double selfCpu0 = cpuSeconds(Path.of("/proc/self/stat"));
            Thread progress = progress(server, r);
            long w0 = System.nanoTime();
            send(url, sender, chat, number, r.total, rate, postReply);
            double sendSeconds = (System.nanoTime() - w0) / 1e9;
            long expected = (long) r.total * sockets;
            long lastSend = System.nanoTime();
            boolean all = awaitCount(r.delivered, expected, Duration.ofSeconds(180));
            double drain = (System.nanoTime() - lastSend) / 1e9;
            progress.interrupt();
            double window = (System.nanoTime() - w0) / 1e9;
            double serverCores = (server.cpuSeconds() - serverCpu0) / window;
            double selfCores = (cpuSeconds(Path.of("/proc/self/stat")) - selfCpu0) / window;
            long[] lat = r.latencies();
            System.out.printf(Locale.ROOT, "%n   %d messages/s for %d s to %,d receivers (= %,d deliveries/s; sent in %.1f s,"
                            + " message:new frame %d bytes)%n", rate, seconds, sockets, (long) rate * sockets, sendSeconds,
                    frameBytes.get());
            System.out.printf(Locale.ROOT, "   delivered %,d of %,d (%.3f %%)%s; the last %.1f s after the last send;"
                            + " duplicates %d; arrived after a higher message id %,d%n", r.delivered.get(), expected,
                    100.0 * r.delivered.get() / expected, all ? "" : " (gave up waiting)", drain, r.duplicates.get(),
                    r.outOfOrder.get());
            if (!disconnects.isEmpty()) System.out.println("   receivers disconnected so far (they do not reconnect): " + disconnects);
            System.out.println("                                           p50      p90      p99      max");
            row("delivery latency, all receivers", lat);
            row("POST /message round trip (sender)", postReply);
            System.out.printf(Locale.ROOT, "   cores used over %.1f s: server %.2f, this JVM (the %,d clients) %.2f;"
                            + " server heap max used %d MiB (committed %d MiB)%n",
                    window, serverCores, sockets, selfCores, server.heapMaxUsedMiB.get(), server.heapCommittedMiB.get());
            table.add(String.format(Locale.ROOT, "| %d | %,d | %.3f %% | %.0f | %.0f | %.0f | %.2f %% | %.2f | %.2f | %d |",
                    rate, (long) rate * sockets, 100.0 * r.delivered.get() / expected, pct(lat, 50), pct(lat, 99),
                    pct(lat, 100), 100.0 * r.outOfOrder.get() / Math.max(1, r.delivered.get()), serverCores, selfCores,
                    server.heapMaxUsedMiB.get()));
            if (!all) {
                int missingAt = 0;
                for (int rcv = 0; rcv < sockets; rcv++) {
                    for (int q = 0; q < r.total; q++) {
                        if (r.latency.get(q * sockets + rcv) == 0) {
                            missingAt++;
                            break;
                        }
                    }
                }
                System.out.println("   missing messages at " + missingAt + " receivers; disconnects so far: " + disconnects
                        + " (a receiver that lags more than the server's ping timeout behind is dropped by the server;"
                        + " it notices only at its own ping timeout, and these receivers do not reconnect)");
                break; // a backlog would spoil the next round
            }
        }
        System.out.println("\n   | msg/s | deliveries/s | delivered | p50 ms | p99 ms | max ms | after a higher id"
                + " | server cores | client cores | server heap MiB |");
        table.forEach(l -> System.out.println("   " + l));
        for (Socket s : open) s.close();
    }

    /** {@code count} messages at {@code rate}/s, each POST started on time (asynchronously, so a slow reply does not delay the next). */
    static void send(String url, Account sender, String chat, int round, int count, int rate, long[] replies)
            throws Exception {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
            long sent = System.nanoTime();
            int seq = i;
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/message"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(Map.of("chatUUID", chat,
                            "subID", 0, "content", "r" + round + " " + i + " " + sent))))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + sender.token()).build();
            posts.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                if (r.statusCode() != 200) failures.incrementAndGet();
                if (replies != null) replies[seq] = System.nanoTime() - sent;
            }));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        if (failures.get() > 0) throw new IllegalStateException(failures.get() + " sends failed");
    }

    /** Waits for {@code target}; gives up after {@code timeout}, or after 15 s without progress. */
    private static boolean awaitCount(AtomicLong counter, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastProgress = System.nanoTime();
        while (counter.get() < target) {
            long now = System.nanoTime();
            if (counter.get() != last) {
                last = counter.get();
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > 15_000_000_000L) return false;
            Thread.sleep(20); // polling a counter for a benchmark report, not synchronising a test
        }
        return true;
    }

    /** One line per second while a round runs: deliveries in that second and the cores each side used. */
    private static Thread progress(ServerProcess server, Round r) {
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            long d0 = r.delivered.get();
            double s0 = server.cpuSeconds();
            double c0 = cpuSeconds(Path.of("/proc/self/stat"));
            try {
                while (true) {
                    Thread.sleep(1000);
                    long t1 = System.nanoTime();
                    long d1 = r.delivered.get();
                    double s1 = server.cpuSeconds();
                    double c1 = cpuSeconds(Path.of("/proc/self/stat"));
                    double dt = (t1 - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "     %,9.0f deliveries/s; cores: server %.2f, clients %.2f; server heap"
                            + " %d MiB%n", (d1 - d0) / dt, (s1 - s0) / dt, (c1 - c0) / dt, server.heapUsedMiB.get());
                    t0 = t1;
                    d0 = d1;
                    s0 = s1;
                    c0 = c1;
                }
            } catch (InterruptedException e) {
                // the round ended
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- figures -------------------------------------------------------------------------------------------

    static double pct(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        if (s.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1e6;
    }

    static void row(String what, long[] nanos) {
        System.out.printf(Locale.ROOT, "   %-40s %7.2f  %7.2f  %7.2f  %7.2f%n", what, pct(nanos, 50), pct(nanos, 90),
                pct(nanos, 99), pct(nanos, 100));
    }

    /** utime + stime of a /proc/.../stat file, in seconds. */
    static double cpuSeconds(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicks();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static long ticks;

    static synchronized long clockTicks() {
        if (ticks == 0) {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
                ticks = Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            } catch (IOException | NumberFormatException e) {
                ticks = 100;
            }
        }
        return ticks;
    }

    static String openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0] + " (hard " + f[1] + ")";
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }
}
