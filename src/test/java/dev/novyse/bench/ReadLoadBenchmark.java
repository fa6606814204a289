package dev.novyse.bench;

import dev.novyse.server.BulkSeeder;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13, item 3: how much four clients initializing at once hold up another user's sends on the SQLite server.
 * One server in this JVM; a sender posts messages one at a time (each waits for its reply) while the server is idle,
 * then while four readers each fetch every page of a full initialize of the seeded chats (100k messages with the
 * defaults) over and over, parsing each page and discarding it ({@link SyncEngine#drain}). Prints the sends' p50 and
 * p99 in both phases and their ratio (aim: loaded p99 at most 3x idle p99), and the rows the readers were served.
 *
 * <pre>mvn -B -q package -DskipTests && mvn -B -q exec:exec@bench -Dbench.class=dev.novyse.bench.ReadLoadBenchmark
 *     -Dbench.chats=20 -Dbench.perChat=5000 -Dbench.sends=500</pre>
 */
public final class ReadLoadBenchmark {
    private static final int READERS = 4;

    private ReadLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int chats = Integer.getInteger("bench.chats", 20);
        int perChat = Integer.getInteger("bench.perChat", 5000);
        int sends = Integer.getInteger("bench.sends", 500);
        Path work = Files.createTempDirectory("novyse-readload");
        System.out.printf(Locale.ROOT, "novyse read-load benchmark: %d chats x %d messages, %d readers, %d sends per phase%n",
                chats, perChat, READERS, sends);
        System.out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        try (NovyseServer server = new NovyseServer(new ServerConfig("127.0.0.1", 0, work.resolve("server"),
                Duration.ofHours(2), 1_000, Clock.systemUTC())).start()) {
            CoreBenchmark.signup(server.url(), work.resolve("sender"), "sender");
            List<String> members = new ArrayList<>(List.of(CoreBenchmark.uuid(work.resolve("sender"))));
            for (int r = 1; r <= READERS; r++) {
                CoreBenchmark.signup(server.url(), work.resolve("reader" + r), "reader" + r);
                members.add(CoreBenchmark.uuid(work.resolve("reader" + r)));
            }
            List<String> chatUUIDs = BulkSeeder.seed(server, new BulkSeeder.Spec(members, chats, perChat, 13));
            ApiClient sender = api(server, work.resolve("sender"));
            List<ApiClient> readers = new ArrayList<>();
            for (int r = 1; r <= READERS; r++) readers.add(api(server, work.resolve("reader" + r)));

            // Warm-up: the send path and the page path compiled, as on a server that has been running.
            send(sender, chatUUIDs.get(0), 300);
            for (ApiClient reader : readers) SyncEngine.drain(reader, SyncEngine.DEFAULT_PAGE_LIMIT);

            long[] idle = send(sender, chatUUIDs.get(0), sends);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong rows = new AtomicLong();
            AtomicLong initializes = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (ApiClient reader : readers) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        rows.addAndGet(SyncEngine.drain(reader, SyncEngine.DEFAULT_PAGE_LIMIT));
                        initializes.incrementAndGet();
                    }
                }, "reader");
                t.start();
                threads.add(t);
            }
            Thread.sleep(2000); // every reader in the middle of an initialize
            long t0 = System.nanoTime();
            long[] loaded = send(sender, chatUUIDs.get(1), sends);
            double loadedSeconds = (System.nanoTime() - t0) / 1e9;
            long servedRows = rows.get();
            stop.set(true);
            for (Thread t : threads) t.join();
            print("idle", idle);
            print("4 initializing", loaded);
            System.out.printf(Locale.ROOT, "ratio p99 while initializing / idle p99: %.2f (aim <= 3)%n",
                    percentile(loaded, 0.99) / (double) percentile(idle, 0.99));
            System.out.printf(Locale.ROOT, "readers meanwhile: %d whole initializes, %,d rows (%,.0f rows/s over the loaded phase)%n",
                    initializes.get(), servedRows, servedRows / (loadedSeconds + 2));
        }
    }

    private static ApiClient api(NovyseServer server, Path dir) throws Exception {
        String token = dev.novyse.protocol.Json.mapper().readTree(CoreBenchmark.credentials(dir).toFile()).get("token").asText();
        return new ApiClient(URI.create(server.url()), TokenProvider.fixed(token));
    }

    /** Posts {@code n} messages one after another; returns each one's round trip in microseconds. */
    private static long[] send(ApiClient api, String chat, int n) {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            api.post("/message", Map.of("chatUUID", chat, "subID", 0, "content", "load note " + i, "type", "message",
                    "tempId", UUID.randomUUID().toString()));
            micros[i] = (System.nanoTime() - t) / 1000;
        }
        return micros;
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(String phase, long[] micros) {
        System.out.printf(Locale.ROOT, "POST /message, %-15s p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms%n", phase + ":",
                percentile(micros, 0.5) / 1000.0, percentile(micros, 0.99) / 1000.0,
                Arrays.stream(micros).max().orElse(0) / 1000.0);
    }
}
