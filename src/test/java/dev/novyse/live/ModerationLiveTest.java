package dev.novyse.live;

import dev.novyse.e2e.Projection;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.MemberView;
import dev.novyse.store.TestDb;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moderation as real clients live it: role, description and handle changes, invites and bans reach a member's store
 * over the live channel through the sync's own apply code; a kicked member's channel hears the removal, its sync drops
 * the chat with its history (docs/protocol.md#moderation), and nothing of the chat reaches it afterwards.
 */
class ModerationLiveTest {
    @TempDir
    Path dir;
    LiveFixture fx;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    RawApi.Account carol;

    @BeforeEach
    void start() {
        fx = new LiveFixture(TestServer.start(dir.resolve("server")));
        api = fx.api;
        alice = api.signup("alice");
        bob = api.signup("bob");
        carol = api.signup("carol");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static Set<String> members(LiveFixture.Client c, String chat) {
        return c.db.members(chat).stream().map(m -> m.userUUID() + " " + m.roleIDs()).collect(Collectors.toSet());
    }

    @Test
    void moderationReachesMembersLiveAndAKickedMembersStoreDropsTheChatAndHearsNothingMore() {
        RawApi.Account dave = api.signup("dave");
        RawApi.Account erin = api.signup("erin");
        String chat = fx.group(alice, "Team", "team", bob, carol);
        fx.send(carol, chat, 0, "carol was here");
        LiveFixture.Client b = fx.client(bob, dir.resolve("bob.db"));
        LiveFixture.Client c = fx.client(carol, dir.resolve("carol.db"));
        b.startConnected();
        c.startConnected();
        LiveFixture.Recorder rb = b.recorder;
        LiveFixture.Recorder rc = c.recorder;
        assertEquals(1, c.db.latest(chat, 0, 10).size());

        api.ok(api.put("/chat/admin", alice.token(), Map.of("chatUUID", chat, "userUUID", bob.uuid())));
        rb.await("event MEMBER_ROLES_CHANGED");
        api.ok(api.patch("/chat/description", alice.token(), Map.of("chatUUID", chat, "description", "Our team")));
        rb.await("event CHAT_DESCRIPTION_CHANGED");
        api.ok(api.patch("/chat/handle", alice.token(), Map.of("chatUUID", chat, "handle", "crew")));
        rb.await("event CHAT_HANDLE_CHANGED");
        api.ok(api.post("/chat/invite", bob.token(), Map.of("chatUUID", chat, "userUUIDs", List.of(dave.uuid()))));
        rb.await("event MEMBER_JOINED");
        api.ok(api.put("/chat/ban", bob.token(), Map.of("chatUUID", chat, "userUUID", erin.uuid())));
        api.ok(api.patch("/chat/rename", alice.token(), Map.of("chatUUID", chat, "name", "Team 2")));
        rb.await("event CHAT_RENAMED"); // the ban of an outsider before it changes no row, but moves the cursor
        rc.await("event CHAT_RENAMED");

        assertEquals("crew", b.db.chat(chat).orElseThrow().handle());
        assertTrue(members(b, chat).contains(bob.uuid() + " [0, 1]"), members(b, chat).toString());
        assertTrue(members(b, chat).contains(dave.uuid() + " [0]"));
        assertEquals("Our team", String.valueOf(TestDb.rows(b.file, "SELECT description FROM chat WHERE uuid = ?", chat).get(0).get(0)));

        api.ok(api.post("/chat/kick", bob.token(), Map.of("chatUUID", chat, "userUUID", carol.uuid())));
        rb.await("event MEMBER_LEFT");
        rc.await("synced left " + chat);
        assertTrue(c.db.chat(chat).isEmpty(), "the kicked member's store dropped the chat");
        assertEquals(List.of(), TestDb.rows(c.file, "SELECT id FROM message WHERE chatUUID = ?", chat), "and its history");
        assertTrue(members(b, chat).stream().noneMatch(m -> m.startsWith(carol.uuid())), "the others' stores lost her");

        int heardBefore = rc.log.size();
        fx.send(alice, chat, 0, "after the kick");
        api.ok(api.patch("/chat/rename", alice.token(), Map.of("chatUUID", chat, "name", "Team 3")));
        rb.awaitCount("event CHAT_RENAMED", 2);
        List<String> heard = rc.log.subList(heardBefore, rc.log.size()).stream().filter(l -> l.contains(chat)
                || l.startsWith("message") || l.startsWith("event")).toList();
        assertEquals(List.of(), heard, "nothing of the chat reaches the kicked member live");
        SyncResult again = c.engine.sync();
        assertEquals(0, again.messages() + again.chats() + again.chatEvents(), "nor through a sync: " + again);
        assertTrue(c.db.chat(chat).isEmpty());

        LiveChannel.Stats stats = b.channel.stats();
        assertEquals(0, stats.gaps(), stats.toString());
        b.stopChannel();
        c.stopChannel();
        Projection.assertSame(Projection.server(fx.server.url(), bob.token()), Projection.client(b.file), "bob's store vs the server");
        Projection.assertSame(Projection.server(fx.server.url(), carol.token()), Projection.client(c.file), "carol's store vs the server");
        List<MemberView> none = c.db.members(chat);
        assertEquals(List.of(), none);
    }
}
