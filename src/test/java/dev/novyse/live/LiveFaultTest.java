package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.e2e.Projection;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.MessageView;
import dev.novyse.sync.LiveChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live channel under faults, each time ending in the same place: the account's SQLite store equals the server's
 * view of the account ({@link Projection}: a fresh initialize against plain SQL on the store), with no row twice.
 * Faults: live event frames lost or repeated on the wire (a real TCP proxy that reads the websocket frames between
 * client and server), and the server restarting while the client is cut off and messages keep arriving.
 */
class LiveFaultTest {
    @TempDir
    Path dir;
    LiveFixture fx;
    RawApi.Account alice;
    RawApi.Account bob;
    RawApi.Account carol;
    FrameFaultProxy proxy;
    NovyseServer restarted;

    @BeforeEach
    void start() {
        fx = new LiveFixture(TestServer.start(dir.resolve("server")));
        alice = fx.api.signup("alice");
        bob = fx.api.signup("bob");
        carol = fx.api.signup("carol");
    }

    @AfterEach
    void stop() throws Exception {
        fx.close(); // the clients first, then the (first) server
        if (proxy != null) proxy.close();
        if (restarted != null) restarted.close();
    }

    /** Websocket only (a fallback to long-polling would slip past the frame proxy), probing after 1 s of silence. */
    private static LiveChannel.Options websocket() {
        return LiveFixture.fast().withTransports("websocket")
                .withStaleAfter(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withClock(Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(15));
    }

    // ---- a scripted workload ------------------------------------------------------------------------------

    /** A message as the script knows it. */
    private static final class Msg {
        final String chat;
        final int sub;
        final long id;
        final RawApi.Account author;
        boolean deleted;
        boolean pinned;
        final Set<String> reactions = new HashSet<>(); // "user emoji"

        Msg(String chat, int sub, long id, RawApi.Account author) {
            this.chat = chat;
            this.sub = sub;
            this.id = id;
            this.author = author;
        }

        Map<String, Object> target() {
            return new HashMap<>(Map.of("chatUUID", chat, "subID", sub, "messageID", id));
        }
    }

    /**
     * Alice and Carol send, edit, react, pin, delete and read in a seeded random order; every request is one the
     * server accepts (the script tracks what exists). Alice is the admin of the groups; Bob, who watches, is neither
     * an admin nor an author, so a sync gives him only the newest edit of each message. The places are
     * "chat/sub", repeated for weight; the last one's chat is one Carol is not in.
     */
    private final class Script {
        final Random random;
        final List<Msg> messages = new ArrayList<>();
        final List<String[]> places = new ArrayList<>();
        final String withoutCarol;
        int n;

        Script(long seed, String... weightedPlaces) {
            random = new Random(seed);
            for (String p : weightedPlaces) places.add(p.split("/"));
            withoutCarol = places.get(places.size() - 1)[0];
        }

        private boolean outsider(RawApi.Account who, String chat) {
            return who == carol && chat.equals(withoutCarol);
        }

        private Msg live(RawApi.Account by) {
            List<Msg> candidates = messages.stream().filter(m -> !m.deleted && (by == null || m.author == by)).toList();
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }

        void send(RawApi.Account from, String chat, int sub, String content) {
            JsonNode m = fx.send(from, chat, sub, content);
            messages.add(new Msg(chat, sub, m.path("id").asLong(), from));
        }

        void step() {
            n++;
            RawApi.Account who = random.nextInt(3) == 0 ? carol : alice;
            int roll = random.nextInt(100);
            RawApi api = fx.api;
            if (roll < 45 || messages.size() < 3) {
                String[] p = places.get(random.nextInt(places.size()));
                send(outsider(who, p[0]) ? alice : who, p[0], Integer.parseInt(p[1]), "m" + n);
            } else if (roll < 60) {
                Msg m = live(who);
                if (m == null) return;
                Map<String, Object> body = m.target();
                body.put("content", "m" + n + " (an edit)");
                api.ok(api.patch("/message", who.token(), body));
            } else if (roll < 78) {
                Msg m = live(null);
                if (m == null || outsider(who, m.chat)) return;
                String emoji = List.of("+1", "🎉", "👀").get(random.nextInt(3));
                String key = who.uuid() + " " + emoji;
                Map<String, Object> body = m.target();
                body.put("reaction", emoji);
                if (m.reactions.add(key)) {
                    api.ok(api.put("/message/reaction", who.token(), body));
                } else {
                    m.reactions.remove(key);
                    api.ok(api.delete("/message/reaction", who.token(), body));
                }
            } else if (roll < 86) {
                Msg m = live(null);
                if (m == null) return;
                if (m.pinned) {
                    api.ok(api.delete("/message/pin", alice.token(), m.target()));
                } else {
                    api.ok(api.put("/message/pin", alice.token(), m.target()));
                }
                m.pinned = !m.pinned;
            } else if (roll < 93) {
                Msg m = live(who);
                if (m == null) return;
                api.ok(api.delete("/message", who.token(), m.target()));
                m.deleted = true;
                m.pinned = false;
                m.reactions.clear();
            } else {
                Msg m = live(null);
                if (m == null || outsider(who, m.chat)) return;
                api.ok(api.post("/message/read", who.token(), m.target()));
            }
        }
    }

    /** Waits until the store at {@code file} equals {@code expected}; fails with the difference. */
    private static void awaitSameAs(Projection expected, Path file, LiveFixture.Recorder recorder, String what) {
        AtomicReference<Projection> last = new AtomicReference<>();
        try {
            LiveFixture.awaitUntil(recorder, () -> {
                last.set(Projection.client(file));
                return last.get().equals(expected);
            }, Duration.ofSeconds(15), what);
        } catch (AssertionError e) { // (its message carries the whole channel log: too long to be useful here)
            throw new AssertionError(what + ": the store never became the server's view (- server, + store):"
                    + Projection.diff(expected, last.get()) + "\nchannel log (last 40): "
                    + recorder.log.subList(Math.max(0, recorder.log.size() - 40), recorder.log.size()));
        }
    }

    /**
     * Every message of the store is reported to the listener, each exactly once. Waits: a sync commits page by page
     * and reports after its last page, so the store can match the server a moment before the listener has heard.
     */
    private static void reportedOnceEach(Path file, LiveFixture.Recorder recorder) {
        Set<String> stored = new HashSet<>();
        for (List<Object> row : dev.novyse.store.TestDb.rows(file, "SELECT chatUUID, subID, id FROM message")) {
            stored.add(row.get(0) + "/" + row.get(1) + "/" + row.get(2));
        }
        java.util.function.Supplier<List<String>> reported = () -> recorder.messages.stream()
                .map(m -> m.chatUUID() + "/" + m.subID() + "/" + m.id()).toList();
        try {
            LiveFixture.awaitUntil(recorder, () -> new HashSet<>(reported.get()).equals(stored), Duration.ofSeconds(15),
                    "every stored message reported");
        } catch (AssertionError e) {
            Set<String> missing = new java.util.TreeSet<>(stored);
            missing.removeAll(reported.get());
            Set<String> extra = new java.util.TreeSet<>(reported.get());
            extra.removeAll(stored);
            throw new AssertionError("reported != stored; never reported: " + missing + "; reported, not stored: " + extra);
        }
        List<String> all = reported.get();
        assertEquals(new HashSet<>(all).size(), all.size(), "a message reported twice: " + all);
    }

    // ---- tests -------------------------------------------------------------------------------------------

    /** The proxy's choice for one event: a fixed pseudo-random function of what the event is, so runs repeat. */
    private static FrameFaultProxy.Action fate(Map<String, Integer> chatIndex, String event, JsonNode p) {
        Integer chat = chatIndex.get(p.path("chatUUID").asText());
        if (chat == null) return FrameFaultProxy.Action.PASS;
        String key = event.equals("message:new")
                ? "new " + chat + "/" + p.path("subID").asInt() + "/" + p.path("id").asLong()
                : "update " + chat + "/" + p.path("chatEventID").asLong();
        int roll = new SplittableRandom(key.hashCode() * 0x9E3779B97F4A7C15L + 17).nextInt(100);
        return roll < 20 ? FrameFaultProxy.Action.DROP : roll < 35 ? FrameFaultProxy.Action.DUPLICATE : FrameFaultProxy.Action.PASS;
    }

    @Test
    void liveFramesDroppedOrDuplicatedOnTheWireEndInTheServersStateWithNoRowTwice() throws Exception {
        Map<String, Integer> chatIndex = new HashMap<>();
        String team = fx.group(alice, "Team", null, bob, carol);
        fx.api.ok(fx.api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", team, "name", "side")));
        String pair = fx.group(alice, "Pair", null, bob);
        chatIndex.put(team, 0);
        chatIndex.put(pair, 1);
        proxy = new FrameFaultProxy(fx.server.port(), (event, p) -> fate(chatIndex, event, p));
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"), 5_000, proxy.url());
        b.start(websocket().withResyncEvery(Duration.ofSeconds(2))); // the newest changes' lost frames, if nothing follows
        b.awaitConnected();
        b.recorder.await("synced connect baseline");

        Script script = new Script(7, team + "/0", team + "/0", team + "/0", team + "/1", pair + "/0");
        for (int i = 0; i < 300; i++) script.step();

        Projection expected = Projection.server(fx.server.url(), bob.token());
        awaitSameAs(expected, b.file, b.recorder, "after 300 changes with lost and repeated frames");

        LiveChannel.Stats stats = b.channel.stats();
        String faults = proxy.faults.size() + " faults (" + proxy.count(FrameFaultProxy.Action.DROP, "message:new")
                + " message:new and " + proxy.count(FrameFaultProxy.Action.DROP, "message:update") + " message:update dropped, "
                + proxy.count(FrameFaultProxy.Action.DUPLICATE, "message:new") + " and "
                + proxy.count(FrameFaultProxy.Action.DUPLICATE, "message:update") + " repeated; first: "
                + proxy.faults.subList(0, Math.min(8, proxy.faults.size())) + "); " + stats;
        assertEquals(1, proxy.upgrades.get(), "one websocket, never reconnected: " + faults);
        for (String event : List.of("message:new", "message:update")) {
            assertTrue(proxy.count(FrameFaultProxy.Action.DROP, event) >= 5, "enough " + event + " dropped: " + faults);
            assertTrue(proxy.count(FrameFaultProxy.Action.DUPLICATE, event) >= 5, "enough " + event + " repeated: " + faults);
        }
        // How many drops show as gaps depends on timing (a sync for one gap also brings later drops), but the first
        // dropped frame that has a successor in its cursor does, unless an idle or periodic sync came in between.
        assertTrue(stats.gaps() >= 1, "skipped ids were noticed as gaps: " + faults);
        assertTrue(b.recorder.count(l -> l.startsWith("synced gap")) >= 1, "and healed by updates: " + faults);
        assertTrue(stats.duplicates() >= proxy.count(FrameFaultProxy.Action.DUPLICATE, "message:new"),
                "every repeated message frame was recognised: " + faults);
        assertEquals(List.of(), Projection.holes(b.file));
        assertEquals(expected.count("msg"), Projection.scalar(b.file, "SELECT COUNT(*) FROM message"));
        assertEquals("ok", Projection.integrityCheck(b.file));
        reportedOnceEach(b.file, b.recorder);
        System.out.println("frame faults: " + proxy.faults.size() + " (" + proxy.passed.get() + " other messages passed); " + stats);
    }

    /**
     * Bob live behind a proxy that drops every message whose content starts with "lost"; alice sends "kept" (which
     * bob gets live) and then {@code lost}, which bob's socket never sees.
     */
    private LiveFixture.Client bobLosingItsSecondMessage(String chat, String lost, LiveChannel.Options options)
            throws java.io.IOException {
        proxy = new FrameFaultProxy(fx.server.port(), (event, p) ->
                p.path("content").asText("").startsWith("lost") ? FrameFaultProxy.Action.DROP : FrameFaultProxy.Action.PASS);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"), 5_000, proxy.url());
        b.start(options);
        b.awaitConnected();
        fx.send(alice, chat, 0, "kept");
        b.recorder.await("message " + chat + " 0 1 LIVE");
        fx.send(alice, chat, 0, lost);
        return b;
    }

    @Test
    void theNewestMessageLostOnTheWireIsFetchedWhileOtherChatsKeepTheChannelBusy() throws Exception {
        String quiet = fx.group(alice, "Quiet", null, bob);
        String busy = fx.group(alice, "Busy", null, bob);
        // No idle probe within the test (30 s), a periodic sync every second.
        LiveFixture.Client b = bobLosingItsSecondMessage(quiet, "lost: nothing follows it in its chat",
                websocket().withStaleAfter(Duration.ofSeconds(30), Duration.ofSeconds(5)).withResyncEvery(Duration.ofSeconds(1)));

        // The busy chat talks without a pause (each message waits for the one before to arrive), so the channel is
        // never silent: only a sync that does not wait for silence brings the lost message.
        long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        int sent = 0;
        String healed = "message " + quiet + " 0 2 ";
        while (b.recorder.count(l -> l.startsWith(healed)) == 0) {
            assertTrue(System.nanoTime() < deadline, "the lost message never arrived after " + sent + " busy messages; "
                    + b.channel.stats() + "; syncs: " + b.recorder.log.stream().filter(l -> l.startsWith("synced")).toList());
            fx.send(alice, busy, 0, "chatter " + ++sent);
            b.recorder.await("message " + busy + " 0 " + sent + " ");
        }
        assertEquals(1, proxy.count(FrameFaultProxy.Action.DROP, "message:new"));
        assertTrue(b.recorder.log.contains(healed + "SYNC"), "brought by a sync, not by its own event");
        b.recorder.await("synced periodic");
        List<MessageView> q = b.db.latest(quiet, 0, 5);
        assertEquals("lost: nothing follows it in its chat", q.get(1).content());
        assertEquals(1, b.channel.stats().connects(), "healed without a reconnect: " + b.channel.stats());
        Projection expected = Projection.server(fx.server.url(), bob.token());
        awaitSameAs(expected, b.file, b.recorder, "after the periodic sync");
        System.out.println("lost newest message fetched after " + sent + " busy messages; " + b.channel.stats());
    }

    /**
     * A script runs `watch` and, in another process on the same store, `novyse message react`, which syncs right after
     * it acts: the reaction is in the store before `watch`'s channel hears of it. Held on the wire until then here.
     * The channel must still publish it (watch prints it), and only once.
     */
    @Test
    void aChatEventAnotherProcessStoredFirstIsStillPublishedOnce() throws Exception {
        String team = fx.group(alice, "Team", null, bob);
        long id = fx.send(alice, team, 0, "deploy now").path("id").asLong();
        proxy = new FrameFaultProxy(fx.server.port(), (event, p) ->
                event.equals("message:update") ? FrameFaultProxy.Action.HOLD : FrameFaultProxy.Action.PASS);
        LiveFixture.Client watcher = fx.client(bob, dir.resolve("bob.db"), 5_000, proxy.url());
        watcher.start(websocket());
        watcher.awaitConnected();
        watcher.recorder.await("synced");

        LiveFixture.Client script = fx.client(bob, dir.resolve("bob.db"));
        fx.api.ok(fx.api.put("/message/reaction", bob.token(), java.util.Map.of("chatUUID", team, "subID", 0,
                "messageID", id, "reaction", "👀")));
        script.engine.sync();
        assertEquals(1, ((Number) dev.novyse.store.TestDb.rows(dir.resolve("bob.db"),
                "SELECT COUNT(*) FROM reaction_message WHERE reaction = '👀'").get(0).get(0)).intValue(),
                "stored by the script first");
        assertEquals(0, watcher.recorder.count(l -> l.startsWith("event REACTION_ADDED")), "held on the wire so far");

        proxy.release();
        watcher.recorder.await("event REACTION_ADDED");
        // Anything after it on the same socket has been handled once this arrives: no second publication by then.
        fx.send(alice, team, 0, "after");
        watcher.recorder.await("message " + team + " 0 " + (id + 1));
        assertEquals(1, watcher.recorder.count(l -> l.startsWith("event REACTION_ADDED")), watcher.recorder.log.toString());
    }

    @Test
    void aReactionToAMessageLostOnTheWireFetchesTheMessageAtOnce() throws Exception {
        String quiet = fx.group(alice, "Quiet", null, bob);
        // Neither the idle probe nor the periodic sync within the test: only the reaction can reveal the loss.
        LiveFixture.Client b = bobLosingItsSecondMessage(quiet, "lost: its reaction is the next thing bob hears of it",
                websocket().withStaleAfter(Duration.ofSeconds(60), Duration.ofSeconds(5)).withResyncEvery(Duration.ofMinutes(5)));
        fx.api.ok(fx.api.put("/message/reaction", alice.token(), java.util.Map.of("chatUUID", quiet, "subID", 0,
                "messageID", 2, "reaction", "👍")));
        b.recorder.await("message " + quiet + " 0 2 SYNC");
        assertEquals(1, proxy.count(FrameFaultProxy.Action.DROP, "message:new"));
        MessageView lost = b.db.latest(quiet, 0, 5).get(1);
        assertEquals("lost: its reaction is the next thing bob hears of it", lost.content());
        assertEquals(List.of("👍"), lost.reactions().stream().map(MessageView.ReactionCount::emoji).toList());
        assertEquals(1, b.channel.stats().connects(), "healed without a reconnect: " + b.channel.stats());
    }

    @Test
    void aServerRestartedWhileBobIsCutOffWithMessagesArrivingEndsInTheServersState() throws Exception {
        String team = fx.group(alice, "Team", null, bob, carol);
        fx.api.ok(fx.api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", team, "name", "side")));
        String pair = fx.group(alice, "Pair", null, bob);
        proxy = new FrameFaultProxy(fx.server.port(), (event, p) -> FrameFaultProxy.Action.PASS);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"), 20, proxy.url()); // small pages: long syncs
        b.start(websocket());
        b.awaitConnected();
        Script script = new Script(11, team + "/0", team + "/0", team + "/1", pair + "/0");
        for (int i = 0; i < 40; i++) script.step();
        awaitSameAs(Projection.server(fx.server.url(), bob.token()), b.file, b.recorder, "online, before the cut");

        // Bob's network goes away (his connections are reset, new ones refused); Alice and Carol carry on.
        proxy.offline(true);
        b.recorder.await(() -> b.channel.status() != LiveChannel.Status.CONNECTED, "bob disconnected");
        for (int i = 0; i < 60; i++) script.step();

        // The server restarts on the same port and data; messages keep arriving.
        int port = fx.server.port();
        fx.server.close();
        restarted = new NovyseServer(TestServer.config(port, dir.resolve("server"), Clock.systemUTC(),
                Duration.ofMinutes(15))).start();
        for (int i = 0; i < 60; i++) script.step();
        Projection whileCut = Projection.client(b.file);
        assertTrue(whileCut.count("msg") < script.messages.size(), "bob missed what was sent while he was cut off");

        // Bob's network comes back while Alice and Carol keep going: his reconnect, its sync (in pages of 20) and the
        // live events that race with it must end in the server's state. They carry on until Bob's channel has
        // reconnected, then make 30 more changes (a bounded number, so that his paging always catches up).
        long connects = b.channel.stats().connects();
        long eventsBefore = b.channel.stats().events();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread more = new Thread(() -> {
            try {
                for (int i = 0; i < 3_000 && b.channel.stats().connects() == connects; i++) script.step();
                for (int i = 0; i < 30; i++) script.step();
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "more-changes");
        more.start();
        proxy.offline(false);
        more.join(30_000);
        assertNull(failed.get());
        assertTrue(b.channel.stats().connects() > connects, "reconnected: " + b.channel.stats());

        Projection expected = Projection.server(restarted.url(), bob.token());
        awaitSameAs(expected, b.file, b.recorder, "after the restart and the reconnect");
        assertEquals(List.of(), Projection.holes(b.file));
        assertEquals(expected.count("msg"), Projection.scalar(b.file, "SELECT COUNT(*) FROM message"));
        reportedOnceEach(b.file, b.recorder);
        assertTrue(b.channel.stats().events() > eventsBefore, "live events on the new connection: " + b.channel.stats());
        System.out.println("restart while cut off: " + script.messages.size() + " messages, " + b.channel.stats());
    }
}
