package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.MessageView;
import dev.novyse.store.TestDb;
import dev.novyse.sync.LiveChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client side of the live channel against a real server, real SQLite stores and the real Socket.IO client:
 * live changes land in the store and the listener, each through the sync's own apply code; gaps and reconnects
 * are healed by a sync; events that arrive during a sync are neither lost nor applied twice.
 */
class LiveChannelClientTest {
    @TempDir
    Path dir;
    LiveFixture fx;
    RawApi.Account alice;
    RawApi.Account bob;

    @BeforeEach
    void start() {
        fx = new LiveFixture(TestServer.start(dir.resolve("server")));
        alice = fx.api.signup("alice");
        bob = fx.api.signup("bob");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static Map<String, Object> msg(String chat, int sub, long id) {
        return new HashMap<>(Map.of("chatUUID", chat, "subID", sub, "messageID", id));
    }

    private static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }

    private List<Long> ids(Path file, String chat, int sub) {
        List<Long> out = new ArrayList<>();
        for (List<Object> r : TestDb.rows(file, "SELECT id FROM message WHERE chatUUID = ? AND subID = ? ORDER BY id", chat, sub)) {
            out.add(((Number) r.get(0)).longValue());
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aMessageSentByAliceLandsInBobsStoreAndSubscriberWithinSeconds(String transport) {
        String chat = fx.group(alice, "Team", null, bob);
        fx.send(alice, chat, 0, "before bob connects");
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.start(LiveFixture.fast().withTransports(transport));
        b.awaitConnected();
        b.recorder.await("synced connect baseline");
        assertEquals(List.of(1L), ids(b.file, chat, 0), "the first sync brought the history");
        assertTrue(b.recorder.messages.isEmpty(), "what the baseline sync brings is not reported");

        List<Long> latencies = new ArrayList<>();
        List<Long> afterReply = new ArrayList<>();
        for (int i = 2; i <= 21; i++) {
            int before = b.recorder.messages.size();
            long t0 = System.nanoTime();
            fx.send(alice, chat, 0, "live " + i);
            long t1 = System.nanoTime();
            b.recorder.await(() -> b.recorder.messages.size() > before, "message " + i);
            latencies.add((b.recorder.messageNanos.get(before) - t0) / 1_000);
            afterReply.add((b.recorder.messageNanos.get(before) - t1) / 1_000);
            MessageView m = b.recorder.messages.get(before);
            assertEquals(i, m.id());
            assertEquals("live " + i, m.content());
            assertEquals("ALICE", m.senderName(), "read back from the store, with the sender's name");
            assertEquals(LiveChannel.Source.LIVE, b.recorder.sources.get(before));
        }
        assertEquals(range(1, 21), ids(b.file, chat, 0));
        assertEquals(0, b.channel.stats().gaps(), "every message fitted its cursor: " + b.channel.stats());
        assertEquals(1, b.channel.stats().syncs(), "no sync after the first: " + b.channel.stats());
        Collections.sort(latencies);
        Collections.sort(afterReply);
        System.out.printf("live latency over %s, us: POST sent -> bob's listener (after his commit) median %d max %d;"
                        + " POST reply -> listener median %d max %d%n", transport, latencies.get(latencies.size() / 2),
                latencies.get(latencies.size() - 1), afterReply.get(afterReply.size() / 2), afterReply.get(afterReply.size() - 1));
    }

    @Test
    void everyMessageUpdateChatUpdateMembershipProfileAndUserEventAppliesLikeASync() {
        RawApi.Account carol = fx.api.signup("carol");
        String chat = fx.group(alice, "Team", "team", bob);
        fx.send(alice, chat, 0, "one");
        fx.send(alice, chat, 0, "two");
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();
        LiveFixture.Recorder r = b.recorder;
        RawApi api = fx.api;

        fx.send(alice, chat, 0, "three");
        r.await("message " + chat + " 0 3 LIVE");
        api.ok(api.patch("/message", alice.token(), with(msg(chat, 0, 3), "content", "three, edited")));
        r.await("event MESSAGE_EDITED");
        api.ok(api.put("/message/reaction", alice.token(), with(msg(chat, 0, 3), "reaction", "+1")));
        r.awaitCount("event REACTION_ADDED", 1);
        api.ok(api.delete("/message/reaction", alice.token(), with(msg(chat, 0, 3), "reaction", "+1")));
        r.await("event REACTION_REMOVED");
        api.ok(api.put("/message/reaction", alice.token(), with(msg(chat, 0, 3), "reaction", "🎉")));
        r.awaitCount("event REACTION_ADDED", 2);
        api.ok(api.put("/message/pin", alice.token(), msg(chat, 0, 3)));
        r.awaitCount("event MESSAGE_PINNED", 1);
        api.ok(api.put("/message/pin", alice.token(), msg(chat, 0, 1)));
        r.awaitCount("event MESSAGE_PINNED", 2);
        api.ok(api.delete("/message/pin", alice.token(), msg(chat, 0, 1)));
        r.await("event MESSAGE_UNPINNED");
        api.ok(api.post("/message/read", alice.token(), msg(chat, 0, 3)));
        r.await("event MESSAGE_READ");
        api.ok(api.delete("/message", alice.token(), msg(chat, 0, 2)));
        r.await("event MESSAGE_DELETED");
        api.ok(api.patch("/chat/rename", alice.token(), Map.of("chatUUID", chat, "name", "Team 2")));
        r.await("event CHAT_RENAMED");
        api.ok(api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", chat, "name", "side")));
        r.awaitCount("event SUB_CREATED", 1);
        api.ok(api.patch("/chat/sub/rename", alice.token(), Map.of("chatUUID", chat, "id", 1, "name", "side 2")));
        r.await("event SUB_RENAMED");
        api.ok(api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", chat, "name", "gone")));
        r.awaitCount("event SUB_CREATED", 2);
        api.ok(api.delete("/chat/sub/delete", alice.token(), Map.of("chatUUID", chat, "id", 2)));
        r.await("event SUB_DELETED");
        fx.send(alice, chat, 1, "in the side sub");
        r.await("message " + chat + " 1 1 LIVE");
        api.ok(api.post("/chat/join", carol.token(), Map.of("handle", "team")));
        r.await("event MEMBER_JOINED");
        api.ok(api.post("/chat/leave", carol.token(), Map.of("chatUUID", chat)));
        r.await("event MEMBER_LEFT");
        api.ok(api.patch("/user/profile", alice.token(), Map.of("biography", "gardener")));
        r.await("profile " + alice.uuid());
        api.ok(api.put("/chat/pin", bob.token(), Map.of("chatUUID", chat, "position", 0)));
        r.awaitCount("user CHAT_PINNED", 1);
        api.ok(api.delete("/chat/pin", bob.token(), Map.of("chatUUID", chat)));
        r.await("user CHAT_UNPINNED");
        api.ok(api.put("/chat/pin", bob.token(), Map.of("chatUUID", chat, "position", 2)));
        r.awaitCount("user CHAT_PINNED", 2);
        api.ok(api.put("/message/favorite", bob.token(), msg(chat, 0, 3)));
        r.awaitCount("user MESSAGE_FAVORITED", 1);
        api.ok(api.put("/message/favorite", bob.token(), msg(chat, 0, 1)));
        r.awaitCount("user MESSAGE_FAVORITED", 2);
        api.ok(api.delete("/message/favorite", bob.token(), msg(chat, 0, 1)));
        r.await("user MESSAGE_UNFAVORITED");
        api.ok(api.put("/user/settings/preferences", bob.token(), Map.of("key", "theme", "value", "dark")));
        r.await("user SETTING_UPDATED");

        LiveChannel.Stats stats = b.channel.stats();
        assertEquals(0, stats.gaps(), "every event fitted its cursor and was applied live: " + stats);
        assertEquals(0, stats.dropped(), stats.toString());
        assertEquals(1, stats.syncs(), "no sync besides the first: " + stats);

        // Every event's time in the protocol's form (three fraction digits), also where the live payload carries
        // none and the time it arrived stands in (an edit, a deletion, a rename): watch and export print these.
        for (String t : r.eventTimes) {
            assertTrue(t.matches("\\S+ \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), t);
        }
        assertTrue(r.eventTimes.size() >= 20, r.eventTimes.toString());
        // Every event names who did it, as the synced copy of the event does (the server's live frames of an edit,
        // a deletion, an unpin and a chat's or sub's change carry it as an extension): alice did all but carol's.
        for (String a : r.eventActors) {
            String who = a.startsWith("MEMBER_JOINED") || a.startsWith("MEMBER_LEFT") ? carol.uuid() : alice.uuid();
            assertTrue(a.endsWith(" " + who), a + " in " + r.eventActors);
        }

        // Spot checks through the store's own views.
        List<MessageView> main = b.db.latest(chat, 0, 10);
        assertEquals("three, edited", main.get(2).content());
        assertTrue(main.get(2).edited() && main.get(2).pinned());
        assertEquals(List.of("🎉"), main.get(2).reactions().stream().map(MessageView.ReactionCount::emoji).toList());
        assertTrue(main.get(1).deleted(), "message 2 is a tombstone");
        assertFalse(main.get(0).pinned());
        assertEquals("Team 2", b.db.chat(chat).orElseThrow().name());
        assertEquals(2, b.db.chat(chat).orElseThrow().pinnedPosition());
        assertEquals(List.of("general", "side 2"), b.db.subs(chat).stream().map(s -> s.name()).toList());
        assertEquals(Set.of(alice.uuid(), bob.uuid()), new HashSet<>(b.db.members(chat).stream().map(m -> m.userUUID()).toList()));
        assertEquals("gardener", b.db.user(alice.uuid()).orElseThrow().biography());

        // The whole picture equals what a fresh sync of the same account stores.
        b.stopChannel();
        LiveFixture.Client fresh = fx.client(bob, dir.resolve("bob-fresh.db"));
        fresh.engine.sync();
        assertEquals(projection(fresh.file, alice, bob), projection(b.file, alice, bob));
    }

    /** The store's content without local timestamps (live events carry fewer times than the logged events). */
    private static String projection(Path file, RawApi.Account... users) {
        StringBuilder sb = new StringBuilder();
        String in = String.join(",", java.util.Arrays.stream(users).map(u -> "'" + u.uuid() + "'").toList());
        for (String sql : List.of(
                "SELECT chatUUID, subID, id, senderUUID, content, edited, deleted FROM message",
                "SELECT chatUUID, subID, messageID, userUUID, reaction FROM reaction_message",
                "SELECT chatUUID, subID, messageID, pinned_by FROM pinned_message",
                "SELECT chatUUID, subID, userUUID, MAX(messageID) FROM message_read GROUP BY chatUUID, subID, userUUID",
                "SELECT uuid, type, name, handle, eventID FROM chat",
                "SELECT chatUUID, id, name, type FROM chat_sub",
                "SELECT userUUID, chatUUID, role_ids FROM member",
                "SELECT uuid, name, biography, profileEventID FROM user WHERE uuid IN (" + in + ")",
                "SELECT chatUUID, position FROM chat_pin",
                "SELECT chatUUID, subID, messageID FROM favorite_message",
                "SELECT key, value_json FROM local_settings",
                "SELECT key, value FROM sync_state WHERE key = 'local.eventID'")) {
            List<String> rows = new ArrayList<>();
            for (List<Object> row : TestDb.rows(file, sql)) rows.add(row.toString());
            Collections.sort(rows);
            sb.append(sql).append('\n');
            rows.forEach(x -> sb.append("  ").append(x).append('\n'));
        }
        return sb.toString();
    }

    @Test
    void messagesMissedWhileStoppedAreFetchedOnRestartWithoutDuplicates() {
        String chat = fx.group(alice, "Team", null, bob);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();
        fx.send(alice, chat, 0, "m1");
        b.recorder.await("message " + chat + " 0 1");
        b.stopChannel();
        for (int i = 2; i <= 4; i++) fx.send(alice, chat, 0, "m" + i);
        assertEquals(List.of(1L), ids(b.file, chat, 0));

        b.start(LiveFixture.fast());
        b.awaitConnected();
        fx.send(alice, chat, 0, "m5");
        b.recorder.await("message " + chat + " 0 5");
        assertEquals(range(1, 5), ids(b.file, chat, 0));
        assertEquals(5L, ((Number) TestDb.value(b.file, "SELECT COUNT(*) FROM message WHERE chatUUID = ?", chat)).longValue());
    }

    @Test
    void aMessageIdThatSkipsAheadTriggersASyncInsteadOfBeingTrusted() {
        String chat = fx.group(alice, "Team", null, bob);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();
        for (int i = 1; i <= 3; i++) fx.send(alice, chat, 0, "m" + i);
        b.recorder.await("message " + chat + " 0 3");
        // Lose message 3 locally (as if its event had never arrived): the cursor drops to 2.
        TestDb.exec(b.file, "DELETE FROM message WHERE chatUUID = '" + chat + "' AND id = 3");
        fx.send(alice, chat, 0, "m4"); // arrives as id 4 over cursor 2: a gap
        b.recorder.await("message " + chat + " 0 4");
        assertEquals(range(1, 4), ids(b.file, chat, 0), "the sync brought 3 back and 4 with it");
        LiveChannel.Stats s = b.channel.stats();
        assertEquals(1, s.gaps(), s.toString());
        assertEquals(2, s.syncs(), "the first sync and the gap's: " + s);
        assertEquals(0, s.dropped(), s.toString());
        assertEquals(4, b.recorder.messages.size(), "each message reported once: " + b.recorder.log);

        // A chat event two ahead of the chat's cursor is not trusted either.
        fx.api.ok(fx.api.put("/message/pin", alice.token(), msg(chat, 0, 1)));
        b.recorder.await("event MESSAGE_PINNED");
        long cursor = ((Number) TestDb.value(b.file, "SELECT eventID FROM chat WHERE uuid = ?", chat)).longValue();
        TestDb.exec(b.file, "UPDATE chat SET eventID = " + (cursor - 1) + " WHERE uuid = '" + chat + "'");
        fx.api.ok(fx.api.put("/message/reaction", alice.token(), with(msg(chat, 0, 4), "reaction", "+1")));
        b.recorder.await(() -> b.channel.stats().gaps() == 2 && b.channel.stats().syncs() == 3
                && b.db.latest(chat, 0, 1).get(0).reactions().size() == 1, "the reaction, through a sync");
        assertEquals(cursor + 1, ((Number) TestDb.value(b.file, "SELECT eventID FROM chat WHERE uuid = ?", chat)).longValue());

        // The same for a profile event and for a user event of the account's own.
        fx.api.ok(fx.api.patch("/user/profile", alice.token(), Map.of("biography", "one")));
        b.recorder.awaitCount("profile " + alice.uuid(), 1);
        TestDb.exec(b.file, "UPDATE user SET profileEventID = profileEventID - 1 WHERE uuid = '" + alice.uuid() + "'");
        fx.api.ok(fx.api.patch("/user/profile", alice.token(), Map.of("biography", "two")));
        b.recorder.await(() -> b.channel.stats().gaps() == 3
                && "two".equals(b.db.user(alice.uuid()).orElseThrow().biography()), "the profile, through a sync");
        fx.api.ok(fx.api.put("/user/settings/preferences", bob.token(), Map.of("key", "k", "value", 1)));
        b.recorder.awaitCount("user SETTING_UPDATED", 1);
        long local = b.db.localEventId();
        TestDb.exec(b.file, "UPDATE sync_state SET value = value - 1 WHERE key = 'local.eventID'");
        fx.api.ok(fx.api.put("/message/favorite", bob.token(), msg(chat, 0, 4)));
        b.recorder.await(() -> b.channel.stats().gaps() == 4 && b.db.localEventId() == local + 1
                && TestDb.value(b.file, "SELECT messageID FROM favorite_message") != null, "the favourite, through a sync");
        assertEquals(0, b.channel.stats().dropped(), b.channel.stats().toString());
    }

    @Test
    void aChatJoinedLaterBringsItsHistoryToTheStoreButOnlyNewMessagesAreReported() {
        String old = fx.group(alice, "Old", "old");
        for (int i = 1; i <= 5; i++) fx.send(alice, old, 0, "history " + i);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();

        fx.api.ok(fx.api.post("/chat/join", bob.token(), Map.of("handle", "old")));
        b.recorder.await("chat " + old);
        b.recorder.await(() -> ids(b.file, old, 0).size() == 5, "the history, fetched after chat:new");
        fx.send(alice, old, 0, "news");
        b.recorder.await("message " + old + " 0 6");

        String fresh = fx.group(alice, "Fresh", null, bob); // created with bob in it: everything in it is news
        fx.send(alice, fresh, 0, "first");
        b.recorder.await("message " + fresh + " 0 1");
        assertEquals(List.of(6L, 1L), b.recorder.messages.stream().map(MessageView::id).toList(), b.recorder.log.toString());
        assertEquals(range(1, 6), ids(b.file, old, 0));
    }

    @Test
    void eventsArrivingDuringTheInitialSyncAreNeitherLostNorDuplicated() throws Exception {
        String chat = fx.group(alice, "Team", null, bob);
        for (int i = 1; i <= 300; i++) fx.send(alice, chat, 0, "backlog " + i);
        // Small pages: the first sync takes many round trips, while Alice keeps sending.
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"), 20);
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger(300);
        Thread sender = new Thread(() -> {
            for (int i = 1; i <= 300 && go.get(); i++) {
                fx.send(alice, chat, 0, "during " + i);
                sent.incrementAndGet();
            }
        });
        sender.start();
        Thread.sleep(20);
        b.start(LiveFixture.fast());
        sender.join(60_000);
        go.set(false);
        int total = sent.get();
        b.recorder.await(() -> ids(b.file, chat, 0).size() == total
                && b.channel.status() == LiveChannel.Status.CONNECTED, total + " messages in bob's store");

        // Bob's store holds exactly what the server says he can see.
        JsonNode server = fx.api.ok(fx.api.get("/user/initialize?limit=10000", bob.token()));
        Set<String> expected = new TreeSet<>();
        for (JsonNode m : server.path("messages")) {
            expected.add(m.path("chatUUID").asText() + "/" + m.path("subID").asInt() + "/" + m.path("id").asLong()
                    + "/" + m.path("content").asText());
        }
        Set<String> stored = new TreeSet<>();
        for (List<Object> row : TestDb.rows(b.file, "SELECT chatUUID, subID, id, content FROM message")) {
            stored.add(row.get(0) + "/" + row.get(1) + "/" + row.get(2) + "/" + row.get(3));
        }
        assertEquals(total, expected.size());
        assertEquals(expected, stored);

        // What was reported after the baseline is a gap-free run up to the newest, each message once.
        List<Long> reported = b.recorder.messages.stream().map(MessageView::id).toList();
        assertEquals(new HashSet<>(reported).size(), reported.size(), "reported twice: " + reported);
        if (!reported.isEmpty()) {
            assertEquals(range(reported.get(0), total), reported);
        }
        System.out.println("initial-sync race: " + b.channel.stats() + ", reported " + reported.size());
    }

    @Test
    void anExpiredTokenIsRefreshedAndTheChannelReconnects() {
        fx.close();
        dev.novyse.server.MutableClock clock = new dev.novyse.server.MutableClock();
        fx = new LiveFixture(TestServer.start(dir.resolve("server2"), clock, java.time.Duration.ofMinutes(15)));
        alice = fx.api.signup("alice");
        bob = fx.api.signup("bob");
        String chat = fx.group(alice, "Team", null, bob);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();
        clock.advance(java.time.Duration.ofHours(1)); // every token issued so far is expired now
        alice = new RawApi.Account(alice.username(), new LiveFixture.Tokens(fx.api, alice).refresh(), alice.uuid(), alice.session());
        b.channel.reconnectNow("test");
        b.recorder.awaitCount("status CONNECTED", 2);
        assertTrue(b.tokens.refreshes.get() >= 1, "the refused handshake made the channel refresh");
        fx.send(alice, chat, 0, "after the refresh");
        b.recorder.await("message " + chat + " 0 1 LIVE");
        assertNull(b.recorder.stopped.get());
    }

    @Test
    void aTokenRefusedAgainAndAgainStopsTheChannelWithAnAuthError() {
        RawApi.Account forged = new RawApi.Account("bob", "forged-token", bob.uuid(), "no-such-session");
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        LiveFixture.Tokens bad = new LiveFixture.Tokens(fx.api, forged) {
            @Override
            public synchronized String refresh() {
                refreshes.incrementAndGet();
                return "still-forged"; // a provider that cannot get a valid token
            }
        };
        b.channel = new LiveChannel(java.net.URI.create(fx.server.url()), bad, b.db, b.engine, LiveFixture.fast());
        b.channel.subscribe(b.recorder);
        b.channel.start();
        b.recorder.await("stopped");
        RuntimeException why = b.recorder.stopped.get();
        assertTrue(why instanceof dev.novyse.sync.ApiException ae && ae.status() == 401, String.valueOf(why));
        assertEquals(LiveChannel.Status.STOPPED, b.channel.status());
        assertEquals(4, b.recorder.count(l -> l.startsWith("problem live channel refused")) + 1,
                "three retries, the fourth refusal stops: " + b.recorder.log);
    }

    @Test
    void aWallClockJumpReconnectsAndSyncs() {
        String chat = fx.group(alice, "Team", null, bob);
        dev.novyse.server.MutableClock wall = new dev.novyse.server.MutableClock();
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.start(LiveFixture.fast().withClock(wall, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5)));
        b.awaitConnected();
        long syncs = b.channel.stats().syncs();
        wall.advance(java.time.Duration.ofHours(8)); // a night of suspend: the wall clock moved, the monotonic did not
        b.recorder.await(() -> b.channel.stats().connects() >= 2 && b.channel.stats().syncs() > syncs
                && b.channel.status() == LiveChannel.Status.CONNECTED, "a reconnect and a sync");
        fx.send(alice, chat, 0, "good morning");
        b.recorder.await("message " + chat + " 0 1 LIVE");
    }

    @Test
    void aSilentConnectionIsProbedAndSynced() {
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.start(LiveFixture.fast().withStaleAfter(java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(5))
                .withClock(java.time.Clock.systemUTC(), java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(15)));
        b.awaitConnected();
        b.recorder.awaitCount("synced idle", 2);
        assertEquals(1, b.channel.stats().connects(), "the probe was answered: no reconnect");
        b.awaitConnected();
    }

    @Test
    void aRestartedServerIsReconnectedToAndWhatWasMissedIsFetched() {
        String chat = fx.group(alice, "Team", null, bob);
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        b.startConnected();
        fx.send(alice, chat, 0, "m1");
        b.recorder.await("message " + chat + " 0 1");
        int port = fx.server.port();
        fx.server.close();
        b.recorder.await("status DISCONNECTED");
        dev.novyse.server.NovyseServer again = new dev.novyse.server.NovyseServer(dev.novyse.server.TestServer.config(
                port, dir.resolve("server"), java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(15))).start();
        try {
            RawApi.Account a = new RawApi.Account(alice.username(), new LiveFixture.Tokens(fx.api, alice).refresh(),
                    alice.uuid(), alice.session());
            fx.send(a, chat, 0, "m2 (while bob reconnects)");
            b.recorder.awaitCount("status CONNECTED", 2);
            fx.send(a, chat, 0, "m3");
            b.recorder.await("message " + chat + " 0 3");
            assertEquals(range(1, 3), ids(b.file, chat, 0));
        } finally {
            b.stopChannel();
            again.close();
        }
    }

    @Test
    void typingIsRelayedAndNeverStored() {
        String chat = fx.group(alice, "Team", null, bob);
        LiveFixture.Client a = fx.client(alice, dir.resolve("alice.db"));
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        a.startConnected();
        b.startConnected();
        assertTrue(a.channel.sendActivity(chat, "TYPING"));
        b.recorder.await("activity " + chat + " " + alice.uuid() + " TYPING");
        a.stopChannel();
        b.recorder.await("presence " + alice.uuid() + " false");
    }
}
