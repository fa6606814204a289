package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.RawApi;
import dev.novyse.server.TcpRelay;
import dev.novyse.server.TestDatabases;
import dev.novyse.server.db.PostgresUrl;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code novyse serve} processes on one PostgreSQL database, behind a round-robin TCP relay: clients know one URL
 * and land on either process. Senders on both processes write to one chat at once; every client hears every message
 * live, in order, once, whichever process it sent through; then one process is killed with SIGKILL mid-way, its
 * senders retry their tempIds and its clients reconnect to the other, and nothing is lost: ids dense, each tempId
 * once, every client's store equal to a fresh initialize (issue 13).
 */
class TwoProcessServerE2eTest {
    private static final int SENDERS = 4;
    private static final int BEFORE_KILL = 25;
    private static final int AFTER_KILL = 25;

    @TempDir
    Path dir;
    private final List<Process> servers = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        for (Process p : servers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code novyse serve} in a JVM of its own on {@code db}; returns its port once it listens. */
    private int serve(PostgresUrl db) throws IOException, InterruptedException {
        ProcessBuilder pb = E2e.novyseProcess("--data-dir", dir.resolve("files").toString(), "serve", "--port", "0",
                "--database", "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        servers.add(p);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
            StringBuilder seen = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = listening.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    else if (!port.isDone()) seen.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new AssertionError("serve ended before it listened:\n" + seen));
        }, "serve-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("serve did not start", e);
        }
    }

    /** One account's client: its store, sync engine and live channel, and the chat's messages as they arrived. */
    private final class Client implements AutoCloseable {
        final RawApi.Account account;
        final E2e.Client store;
        final LiveChannel channel;
        final List<String> arrivals = Collections.synchronizedList(new ArrayList<>());
        /** Typing and presence heard, as "typing USER", "online USER" and "offline USER". */
        final Set<String> heard = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean connected;

        Client(String url, RawApi.Account account, String chat) {
            this(url, account, chat, account.username());
        }

        Client(String url, RawApi.Account account, String chat, String device) {
            this.account = account;
            this.store = new E2e.Client(url, account.token(), dir.resolve(device + ".db"), 50);
            this.channel = new LiveChannel(URI.create(url), TokenProvider.fixed(account.token()), store.db, store.engine,
                    LiveChannel.Options.defaults().withReconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)));
            channel.subscribe(e -> {
                if (e instanceof ChannelEvent.MessageArrived a && a.message().chatUUID().equals(chat)) {
                    arrivals.add(a.message().id() + " " + a.source());
                } else if (e instanceof ChannelEvent.Activity t) {
                    heard.add(t.action() + " " + t.userUUID());
                } else if (e instanceof ChannelEvent.Presence p) {
                    heard.add((p.online() ? "online " : "offline ") + p.userUUID());
                } else if (e instanceof ChannelEvent.StatusChanged s) {
                    connected = s.status() == LiveChannel.Status.CONNECTED;
                }
            });
            channel.start();
        }

        List<Long> ids() {
            List<Long> out = new ArrayList<>();
            synchronized (arrivals) {
                for (String a : arrivals) out.add(Long.parseLong(a.substring(0, a.indexOf(' '))));
            }
            return out;
        }

        @Override
        public void close() {
            channel.close();
            store.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached in 60 s: " + what);
            Thread.sleep(20);
        }
    }

    /** {@code POST /user/presence} asked of the process on {@code port} by {@code asker}, for {@code whose}. */
    private static String presenceOf(int port, RawApi.Account asker, RawApi.Account whose) {
        RawApi api = new RawApi("http://127.0.0.1:" + port);
        return api.ok(api.post("/user/presence", asker.token(), java.util.Map.of("userUUIDs", List.of(whose.uuid()))))
                .path(whose.uuid()).path("status").asText();
    }

    /**
     * Sends {@code count} messages as {@code who}, each with a tempId of its own, through a connection of its own; a
     * send that fails (its process killed under it) is sent again with the same tempId on a new connection until a
     * process answers.
     */

    private static void send(String url, RawApi.Account who, String chat, String tag, int from, int count) {
        RawApi api = new RawApi(url);
        for (int i = from; i < from + count; i++) {
            String tempId = tag + "-" + i;
            Map<String, Object> body = Map.of("chatUUID", chat, "content", tempId, "tempId", tempId);
            for (int attempt = 1; ; attempt++) {
                try {
                    RawApi.Reply r = api.post("/message", who.token(), body);
                    if (r.status() == 200) break;
                    if (r.status() < 500) throw new AssertionError("send " + tempId + " refused: " + r.text());
                } catch (UncheckedIOException cut) {
                    // the process went away mid-request: the same tempId again, through another connection
                }
                if (attempt == 200) throw new AssertionError("send " + tempId + " never answered");
                api = new RawApi(url);
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void sendAll(String url, List<RawApi.Account> who, String chat, int from, int count,
                                Runnable midway) throws Exception {
        CountDownLatch started = new CountDownLatch(SENDERS);
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            RawApi.Account a = who.get(s % who.size());
            String tag = "s" + s;
            senders.add(CompletableFuture.runAsync(() -> {
                started.countDown();
                send(url, a, chat, tag, from, count / 2);
                send(url, a, chat, tag, from + count / 2, count - count / 2);
            }));
        }
        started.await();
        if (midway != null) midway.run();
        for (CompletableFuture<Void> f : senders) f.get(120, TimeUnit.SECONDS);
    }

    @Test
    void twoProcessesServeOneChatLiveAndLoseNothingWhenOneIsKilled() throws Exception {
        PostgresUrl db = TestDatabases.create("two_processes");
        int a = serve(db);
        int b = serve(db);
        TcpRelay relay = new TcpRelay(List.of(a, b));
        open.add(relay);
        String url = "http://127.0.0.1:" + relay.port();

        RawApi api = new RawApi(url);
        List<RawApi.Account> people = List.of(api.signup("alice"), api.signup("bob"), api.signup("carol"));
        RawApi.Account dave = api.signup("dave"); // no device until the presence check
        String chat = api.ok(api.post("/chat/create", people.get(0).token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(people.get(1).uuid(), people.get(2).uuid(), dave.uuid())))).path("chat")
                .path("uuid").asText();
        List<Client> clients = new ArrayList<>();
        for (RawApi.Account p : people) {
            Client c = new Client(url, p, chat);
            open.add(c);
            clients.add(c);
        }
        for (Client c : clients) await(() -> c.connected, c.account.username() + " connected");
        assertTrue(relay.openTo(a) > 0 && relay.openTo(b) > 0, "connections on both processes");

        // Both processes take sends at once; every client hears every message live, in id order, once.
        sendAll(url, people, chat, 0, BEFORE_KILL, null);
        int first = SENDERS * BEFORE_KILL;
        List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= first; id++) expected.add(id);
        for (Client c : clients) {
            await(() -> c.arrivals.size() >= first, c.account.username() + " heard " + first);
            assertEquals(expected, c.ids(), c.account.username() + ": in order, each once");
            assertTrue(c.arrivals.stream().allMatch(s -> s.endsWith(" LIVE")),
                    c.account.username() + " heard them live, not by a later fetch: " + c.arrivals);
        }

        // Typing and presence are not stored: they cross to the other process in a notification. A device of bob's
        // on process b hears dave come online (his first socket anywhere) and type on process a.
        Client bobOnB = new Client("http://127.0.0.1:" + b, people.get(1), chat, "bob-on-b");
        open.add(bobOnB);
        await(() -> bobOnB.connected, "bob's device on b connected");
        Client daveOnA = new Client("http://127.0.0.1:" + a, dave, chat, "dave-on-a");
        open.add(daveOnA);
        await(() -> daveOnA.connected, "dave's device on a connected");
        await(() -> bobOnB.heard.contains("online " + dave.uuid()), "bob on b hears dave online on a");
        // Asked of b, which holds none of dave's connections: online, from a's presence rows.
        assertEquals("ONLINE", presenceOf(b, people.get(1), dave), "dave's presence asked of process b");
        await(() -> daveOnA.channel.sendActivity(chat, "typing") && bobOnB.heard.contains("typing " + dave.uuid()),
                "bob on b hears dave typing on a");

        // One process dies mid-way (SIGKILL: no goodbye to its sockets or its transactions).
        java.util.concurrent.atomic.AtomicBoolean offlineBeforeKill = new java.util.concurrent.atomic.AtomicBoolean();
        sendAll(url, people, chat, BEFORE_KILL, AFTER_KILL, () -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            // Read at the kill: the sends after it may take longer than the heartbeats' expiry on a busy machine.
            offlineBeforeKill.set(bobOnB.heard.contains("offline " + dave.uuid()));
            servers.get(0).destroyForcibly();
        });
        assertTrue(servers.get(0).waitFor(10, TimeUnit.SECONDS), "killed");
        // Nobody said goodbye for dave's device on a: once a has missed its heartbeats, b announces him offline.
        assertFalse(offlineBeforeKill.get(), "dave was online until a died");
        await(() -> bobOnB.heard.contains("offline " + dave.uuid()), "bob on b hears dave offline once a is gone");
        assertEquals("OFFLINE", presenceOf(b, people.get(1), dave), "the dead process's rows are gone");

        int all = SENDERS * (BEFORE_KILL + AFTER_KILL);
        JsonNode history = api.ok(api.get("/message/history?chatUUID=" + chat + "&subID=0&limit=500",
                people.get(0).token()));
        List<Long> ids = new ArrayList<>();
        Set<String> tempIds = new HashSet<>();
        for (JsonNode m : history.path("messages")) {
            ids.add(m.path("id").asLong());
            assertTrue(tempIds.add(m.path("content").asText()), "tempId stored once: " + m.path("content").asText());
        }
        Collections.sort(ids);
        List<Long> dense = new ArrayList<>();
        for (long id = 1; id <= all; id++) dense.add(id);
        assertEquals(dense, ids, "ids dense, one per tempId");
        assertEquals(all, tempIds.size());

        daveOnA.close(); // its process is gone
        for (Client c : clients) {
            await(() -> c.connected, c.account.username() + " reconnected");
            c.channel.close();
            c.store.sync();
            Projection.assertSame(Projection.server(url, c.account.token()), c.store.projection(),
                    c.account.username() + " vs a fresh initialize");
            List<Long> heard = c.ids();
            assertEquals(heard.size(), new HashSet<>(heard).size(), c.account.username() + " heard nothing twice");
        }
    }
}
