package dev.novyse.demo;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.SyncResult;
import dev.novyse.sync.TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo workspace seeded in-process into a real server, then seen through a real client sync over HTTP; and the
 * demo peer acting on it, seen through a real live channel. One seeding serves every test.
 */
class DemoWorkspaceTest {
    @TempDir
    static Path dir;
    static DemoClock clock;
    static NovyseServer server;
    static DemoWorkspace.Result seeded;
    static LocalDatabase db;
    static SyncResult synced;

    @BeforeAll
    static void seedAndSync() {
        clock = new DemoClock();
        server = new NovyseServer(new ServerConfig("127.0.0.1", 0, dir.resolve("server"), Duration.ofMinutes(15),
                1_000, clock)).start();
        seeded = DemoWorkspace.seed(server, clock, 42, DemoWorkspace.Progress.NONE);
        System.out.println("demo workspace: " + seeded.counts() + " in " + seeded.took().toMillis() + " ms");
        ApiClient anonymous = new ApiClient(URI.create(server.url()), TokenProvider.NONE);
        String token = anonymous.signin(DemoWorkspace.USERNAME, DemoWorkspace.PASSWORD).token();
        db = LocalDatabase.open(dir.resolve("client/store.db"));
        synced = new SyncEngine(new ApiClient(URI.create(server.url()), TokenProvider.fixed(token)), db).sync();
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
        if (server != null) server.close();
    }

    private static List<MessageView> all(ChatSummary chat) {
        List<MessageView> out = new ArrayList<>();
        for (var sub : db.subs(chat.uuid())) {
            out.addAll(db.latest(chat.uuid(), sub.id(), 100_000));
        }
        return out;
    }

    @Test
    void seedsAFewThousandMessagesInProcessAndReleasesTheClock() {
        DemoWorkspace.Counts c = seeded.counts();
        assertTrue(c.messages() >= 2000 && c.messages() <= 5000, "a few thousand messages: " + c);
        assertTrue(c.reactions() > 100 && c.edits() > 20 && c.deletions() > 5 && c.pins() > 5 && c.replies() > 100
                && c.reads() > 50 && c.favourites() > 0, "every kind of action: " + c);
        assertTrue(c.requests() > c.messages(), "one call per action: " + c);
        assertEquals(7, seeded.members().size());
        assertFalse(clock.isSeeding(), "the server is back on real time");
        assertEquals(c.messages(), synced.messages(), "the client received every message");
    }

    @Test
    void theSeededHistoryIsWhatTheServerServesAndItsEventLogIsComplete() {
        // A second client, initialized from scratch, sees every chat and message; an update right after brings
        // nothing: the event logs and sequences the seeder wrote agree with the tables.
        String token = new ApiClient(URI.create(server.url()), TokenProvider.NONE)
                .signin(DemoWorkspace.USERNAME, DemoWorkspace.PASSWORD).token();
        try (LocalDatabase other = LocalDatabase.open(dir.resolve("other/store.db"))) {
            SyncEngine engine = new SyncEngine(new ApiClient(URI.create(server.url()), TokenProvider.fixed(token)), other);
            SyncResult first = engine.sync();
            assertTrue(first.messages() >= synced.messages(), first + " vs " + synced);
            assertEquals(seeded.chats().size(), other.chatList(100).size());
            SyncResult update = engine.sync();
            assertEquals(0, update.messages(), "nothing new: " + update);
            assertEquals(0, update.chatEvents(), "no event left behind: " + update);
        }
    }

    @Test
    void clientSeesAllFourChatTypesWithPinnedChatsFirst() {
        List<ChatSummary> chats = db.chatList(100);
        assertEquals(Set.of("DM", "GROUP", "CHANNEL", "FORUM"), chats.stream().map(ChatSummary::type).collect(Collectors.toSet()));
        assertEquals(seeded.chats().size(), chats.size());
        assertEquals("Platform team", chats.get(0).title(), "pinned at position 0");
        assertEquals(0, chats.get(0).pinnedPosition());
        assertEquals("Mara", chats.get(1).title().split(" ")[0], "the DM with Mara is pinned at 1");
        ChatSummary forum = chats.stream().filter(ch -> ch.type().equals("FORUM")).findFirst().orElseThrow();
        assertEquals(List.of("general", "help", "ideas", "show-and-tell", "off-topic"),
                db.subs(forum.uuid()).stream().map(dev.novyse.protocol.Sub::name).toList());
        assertEquals("Mara Lindqvist", db.user(seeded.member("mara").uuid()).orElseThrow().name()
                + " " + db.user(seeded.member("mara").uuid()).orElseThrow().surname());
    }

    @Test
    void someChatsAreReadAndSomeHaveUnreadMessagesWithAMentionOfYou() {
        Map<String, Integer> unread = db.chatList(100).stream()
                .collect(Collectors.toMap(ChatSummary::title, ChatSummary::unreadCount));
        assertEquals(9, unread.get("Platform team"), unread.toString());
        assertEquals(6, unread.get("Novyse community"), unread.toString());
        assertEquals(0, unread.get("Weekend hikes ⛰️"), unread.toString());
        assertEquals(0, unread.get("Mara Lindqvist"), unread.toString());
        ChatSummary team = db.chatList(100).stream().filter(ch -> ch.title().equals("Platform team")).findFirst().orElseThrow();
        List<MessageView> tail = db.latest(team.uuid(), 0, 9);
        assertTrue(tail.stream().anyMatch(m -> m.content() != null && m.content().contains("@you")),
                "a mention among the unread: " + tail);
        String you = seeded.you().uuid();
        assertTrue(tail.stream().noneMatch(m -> you.equals(m.senderUUID())), "none of the unread are your own");
    }

    @Test
    void historyHasEditsDeletionsReactionsRepliesPinsUnicodeAndSpansSeveralDays() {
        List<MessageView> messages = new ArrayList<>();
        for (ChatSummary chat : db.chatList(100)) messages.addAll(all(chat));
        assertEquals(seeded.counts().messages(), messages.size());
        assertTrue(messages.stream().filter(MessageView::edited).count() > 20, "edited messages");
        assertTrue(messages.stream().filter(MessageView::deleted).count() > 5, "deleted messages");
        assertTrue(messages.stream().filter(m -> !m.reactions().isEmpty()).count() > 100, "reactions");
        assertTrue(messages.stream().filter(m -> m.replyTo() != null).count() > 100, "replies");
        assertTrue(messages.stream().filter(MessageView::pinned).count() > 5, "pinned messages");
        assertTrue(messages.stream().anyMatch(m -> m.content() != null && m.content().contains("\n")), "multi-line");
        assertTrue(messages.stream().anyMatch(m -> m.content() != null && m.content().length() > 300), "long ones");
        assertTrue(messages.stream().anyMatch(m -> m.content() != null && m.content().codePoints()
                .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)), "CJK");
        assertTrue(messages.stream().anyMatch(m -> m.content() != null && m.content().codePoints()
                .anyMatch(cp -> cp >= 0x1F300)), "emoji");
        Set<LocalDate> days = new HashSet<>();
        Instant now = Instant.now();
        for (MessageView m : messages) {
            Instant at = Instant.parse(m.createdAt());
            assertTrue(at.isBefore(now), "no message from the future: " + m);
            days.add(at.atZone(ZoneId.systemDefault()).toLocalDate());
        }
        assertTrue(days.size() >= 5, "history spread over days: " + days);
        for (ChatSummary chat : db.chatList(100)) {
            for (var sub : db.subs(chat.uuid())) {
                List<MessageView> run = db.latest(chat.uuid(), sub.id(), 100_000);
                for (int i = 1; i < run.size(); i++) {
                    assertTrue(run.get(i).createdAt().compareTo(run.get(i - 1).createdAt()) > 0,
                            "times increase with ids in " + chat.title() + "/" + sub.name());
                }
            }
        }
        assertFalse(db.pinnedMessages(db.chatList(100).get(0).uuid()).isEmpty(), "the team chat has pins");
    }

    @Test
    void thePlanIsDeterministicForOneSeedAndDiffersForAnother() {
        Instant now = Instant.parse("2026-03-14T15:09:26Z");
        DemoPlan a = DemoPlan.build(7, now, ZoneId.of("Europe/Rome"));
        DemoPlan b = DemoPlan.build(7, now, ZoneId.of("Europe/Rome"));
        DemoPlan c = DemoPlan.build(8, now, ZoneId.of("Europe/Rome"));
        assertEquals(a.timeline, b.timeline);
        assertFalse(a.timeline.equals(c.timeline));
        for (int i = 1; i < a.timeline.size(); i++) {
            assertTrue(a.timeline.get(i).at().isAfter(a.timeline.get(i - 1).at()), "strictly increasing instants");
        }
    }

    @Test
    void thePeerTalksTypesAndAnswersYouThroughTheApiAndTheLiveSocket() throws Exception {
        URI url = URI.create(server.url());
        String token = new ApiClient(url, TokenProvider.NONE).signin(DemoWorkspace.USERNAME, DemoWorkspace.PASSWORD).token();
        TokenProvider tokens = TokenProvider.fixed(token);
        List<MessageView> live = new CopyOnWriteArrayList<>();
        List<String> typing = new CopyOnWriteArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        Set<String> peers = Set.of(seeded.member("mara").uuid(), seeded.member("kenji").uuid());
        List<String> logged = new CopyOnWriteArrayList<>();
        try (LocalDatabase store = LocalDatabase.open(dir.resolve("live/store.db"));
             LiveChannel channel = new LiveChannel(url, tokens, store, new SyncEngine(new ApiClient(url, tokens), store),
                     LiveChannel.Options.defaults())) {
            channel.subscribe(e -> {
                if (e instanceof ChannelEvent.StatusChanged s && s.status() == LiveChannel.Status.CONNECTED) {
                    connected.countDown();
                } else if (e instanceof ChannelEvent.MessageArrived m && m.source() == LiveChannel.Source.LIVE) {
                    live.add(m.message());
                } else if (e instanceof ChannelEvent.Activity a && peers.contains(a.userUUID())) {
                    typing.add(a.action());
                }
            });
            channel.start();
            assertTrue(connected.await(30, TimeUnit.SECONDS), "the live channel connects");
            // The demo account says something in its DM with Mara: the peer answers it with a reply.
            String dm = seeded.chats().get(0).uuid();
            long said = seeded.you().api().post("/message", Map.of("chatUUID", dm, "subID", 0,
                    "content", "hi Mara, are you there?")).path("id").asLong();
            try (DemoPeer peer = new DemoPeer(url, seeded, 3, new DemoPeer.Options(Duration.ofMillis(30),
                    Duration.ofMillis(120), Duration.ofMillis(30)), logged::add).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !(live.stream().filter(m -> peers.contains(m.senderUUID())).count() >= 5
                        && !typing.isEmpty() && answered(live, dm, said) && peer.stats().reactions() > 0)) {
                    Thread.sleep(50);
                }
                assertTrue(live.stream().filter(m -> peers.contains(m.senderUUID())).count() >= 5,
                        "the peer's messages arrive live: " + peer.stats());
                assertEquals(List.of("TYPING"), typing.stream().distinct().toList(), "typing notices arrive live");
                assertTrue(answered(live, dm, said), "Mara answers the demo account with a reply: " + live);
                assertTrue(peer.stats().reactions() > 0, "the peer reacts: " + peer.stats());
                assertEquals(0, peer.stats().failures(), "no failures against a healthy server: " + logged);
            }
            // Everything the channel stored is also what the server holds: a final sync brings nothing new.
            assertEquals(0, new SyncEngine(new ApiClient(url, tokens), store).sync().messages());
        }
        assertEquals(List.of(), logged);
    }

    private static boolean answered(List<MessageView> live, String dm, long said) {
        String mara = seeded.member("mara").uuid();
        return live.stream().anyMatch(m -> m.chatUUID().equals(dm) && mara.equals(m.senderUUID())
                && m.replyTo() != null && m.replyTo().messageID() == said);
    }

    @Test
    void thePeerSurvivesAnUnreachableServerLoggingOneLine() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + deadPort);
        List<DemoWorkspace.Member> offline = seeded.members().stream().map(m -> new DemoWorkspace.Member(m.username(),
                m.name(), m.uuid(), new ApiClient(dead, m.tokens()), m.tokens())).toList();
        DemoWorkspace.Result unreachable = new DemoWorkspace.Result(offline, seeded.chats(), seeded.counts(), seeded.took());
        List<String> logged = new CopyOnWriteArrayList<>();
        try (DemoPeer peer = new DemoPeer(dead, unreachable, 5, new DemoPeer.Options(Duration.ofMillis(10),
                Duration.ofMillis(30), Duration.ZERO), logged::add).start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (peer.stats().failures() < 5 && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(peer.stats().failures() >= 5, "the peer keeps taking turns: " + peer.stats());
        }
        assertEquals(1, logged.size(), "one line for one repeated problem: " + logged);
        assertTrue(logged.get(0).startsWith("demo peer: ") && !logged.get(0).contains("\n"), logged.get(0));
        assertTrue(logged.get(0).contains("cannot reach"), logged.get(0));
    }
}
