package dev.novyse.e2e;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.sync.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.novyse.e2e.E2e.As.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two and three accounts, each with its own client database, against one real server. After every batch of
 * operations each client runs an incremental sync (pages of 7 messages) and its database must equal a fresh
 * initialize of the same account, line for line.
 */
class ScenarioE2eTest {
    static final int PAGE = 7;

    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    final List<E2e.Client> clients = new ArrayList<>();
    final Map<E2e.Client, E2e.As> owner = new HashMap<>();

    @BeforeEach
    void start() {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
    }

    @AfterEach
    void stop() {
        clients.forEach(E2e.Client::close);
        server.close();
    }

    E2e.As account(String name) {
        return new E2e.As(api, api.signup(name));
    }

    E2e.Client client(E2e.As as) {
        E2e.Client c = new E2e.Client(server.url(), as.who().token(), dir.resolve(as.who().username() + ".db"), PAGE);
        clients.add(c);
        owner.put(c, as);
        return c;
    }

    /** Syncs every client incrementally, then checks each against a fresh initialize of its account. */
    void syncAndCompare(String when) {
        for (E2e.Client c : clients) {
            c.sync();
            E2e.As as = owner.get(c);
            Projection.assertSame(Projection.server(server.url(), as.who().token()), c.projection(),
                    as.who().username() + " " + when);
        }
    }

    static boolean has(Projection p, String prefix) {
        return p.lines().stream().anyMatch(l -> l.startsWith(prefix));
    }

    static boolean holdsChat(Projection p, String chat) {
        return p.lines().stream().anyMatch(l -> l.contains(chat));
    }

    @Test
    void everyChatEventTypeReachesTheMembersAndOnlyThem() {
        E2e.As a = account("alice");
        E2e.As b = account("bob");
        E2e.As c = account("carol");
        E2e.Client ca = client(a);
        E2e.Client cb = client(b);
        E2e.Client cc = client(c);
        String team = a.createChat("GROUP", "Team", "team_x", b.uuid());
        syncAndCompare("after the chat was created");
        assertFalse(holdsChat(cc.projection(), team), "a non-member holds the chat");

        // Batch 1: messages (more than a page), edits, reactions, pins, reads, a new sub.
        for (int i = 1; i <= 10; i++) (i % 2 == 0 ? b : a).send(team, 0, "m" + i + " \"quoted\", comma\nnewline 🎉");
        b.ok("PATCH", "/message", msg(team, 0, 2, "content", "m2 edited once"));
        a.ok("PATCH", "/message", msg(team, 0, 1, "content", "m1 edit 1"));
        a.ok("PATCH", "/message", msg(team, 0, 1, "content", "m1 edit 2"));
        b.ok("PUT", "/message/reaction", msg(team, 0, 1, "reaction", "👍"));
        a.ok("PUT", "/message/reaction", msg(team, 0, 1, "reaction", "🎉"));
        a.ok("PUT", "/message/reaction", msg(team, 0, 3, "reaction", "👍"));
        a.ok("PUT", "/message/pin", msg(team, 0, 2));
        b.ok("POST", "/message/read", msg(team, 0, 3));
        b.ok("POST", "/message/read", msg(team, 0, 9));
        long sub = a.ok("POST", "/chat/sub/create", Map.of("chatUUID", team, "name", "design")).path("id").asLong();
        a.send(team, (int) sub, "in design");
        syncAndCompare("after batch 1");
        Projection pa = ca.projection();
        assertTrue(pa.lines().contains("sub " + team + " " + sub + " name=\"design\" type=TEXT"), pa.toString());
        assertTrue(has(pa, "msg " + team + " 0 1 sender=" + a.uuid()) && pa.toString().contains("\"m1 edit 2\""), pa.toString());
        assertEquals(3, pa.count("reaction"));
        assertTrue(pa.lines().contains("read " + team + " 0 " + b.uuid() + " upto=9"), pa.toString());
        assertTrue(pa.lines().contains("pin " + team + " 0 2 by=" + a.uuid()), pa.toString());
        assertEquals(11, pa.count("msg"));
        assertFalse(holdsChat(cc.projection(), team), "a non-member holds the chat");

        // Batch 2: undo some of it, deletes, a sub rename, a join by handle, a chat rename.
        b.ok("DELETE", "/message/reaction", msg(team, 0, 1, "reaction", "👍"));
        a.ok("DELETE", "/message/pin", msg(team, 0, 2));
        a.ok("PUT", "/message/pin", msg(team, 0, 4));
        a.ok("DELETE", "/message", msg(team, 0, 3)); // an admin deletes; its reaction goes with it
        b.ok("DELETE", "/message", msg(team, 0, 6)); // an author deletes
        a.ok("PATCH", "/chat/sub/rename", Map.of("chatUUID", team, "id", sub, "name", "design-2"));
        c.ok("POST", "/chat/join", Map.of("handle", "@team_x"));
        a.ok("PATCH", "/chat/rename", Map.of("chatUUID", team, "name", "Team, renamed"));
        c.send(team, 0, "hello from carol");
        syncAndCompare("after batch 2");
        pa = ca.projection();
        assertTrue(pa.lines().contains("chat " + team + " type=GROUP name=\"Team, renamed\" handle=\"team_x\""), pa.toString());
        assertTrue(pa.lines().contains("member " + team + " " + c.uuid() + " roles=[0]"), pa.toString());
        assertTrue(has(pa, "msg " + team + " 0 3 ") && pa.toString().contains("deleted=true"), pa.toString());
        assertTrue(pa.lines().contains("sub " + team + " " + sub + " name=\"design-2\" type=TEXT"), pa.toString());
        assertEquals(1, pa.count("pin"));
        assertEquals(1, pa.count("reaction"));
        assertTrue(holdsChat(cc.projection(), team), "the joiner does not hold the chat");
        assertEquals(12, cc.projection().count("msg"), cc.projection().toString());

        // Batch 3: a member leaves; a sub is deleted.
        b.ok("POST", "/chat/leave", Map.of("chatUUID", team));
        a.ok("DELETE", "/chat/sub/delete", Map.of("chatUUID", team, "id", sub));
        a.send(team, 0, "after bob left");
        syncAndCompare("after batch 3");
        assertFalse(holdsChat(cb.projection(), team), "the leaver's database still holds the chat: " + cb.projection());
        assertEquals(0, Projection.scalar(cb.file, "SELECT COUNT(*) FROM message"));
        assertFalse(has(ca.projection(), "member " + team + " " + b.uuid()), ca.projection().toString());

        // Bob rejoins: the chat comes back whole, history included.
        b.ok("POST", "/chat/join", Map.of("handle", "team_x"));
        syncAndCompare("after bob rejoined");
        assertTrue(holdsChat(cb.projection(), team));
        // A second sync in a row changes nothing and applies nothing.
        for (E2e.Client cl : clients) {
            Projection before = cl.projection();
            java.util.List<String> cursorsBefore = Projection.cursors(cl.file);
            SyncResult again = cl.sync();
            assertEquals(0, again.messages() + again.chatEvents() + again.profileEvents() + again.userEvents()
                    + again.chats() + again.removedChats(), "a repeated sync applied something: " + again);
            Projection.assertSame(before, cl.projection(), "repeated sync");
            assertEquals(cursorsBefore, Projection.cursors(cl.file));
        }
    }

    @Test
    void everyProfileFieldAndEveryUserEventSyncs() {
        E2e.As a = account("dora");
        E2e.As b = account("eve");
        E2e.Client ca = client(a);
        E2e.Client cb = client(b);
        String dm = a.createChat("DM", null, null, b.uuid());
        long m1 = a.send(dm, 0, "one");
        long m2 = b.send(dm, 0, "two");
        syncAndCompare("initial");

        Map<String, Object> profile = new HashMap<>();
        profile.put("name", "Dora");
        profile.put("surname", "Explorer");
        profile.put("biography", "maps, \"quotes\", and\nnewlines ✨");
        profile.put("birthday", "2000-02-29");
        profile.put("color", "#ff8800");
        profile.put("region", "Lazio");
        profile.put("country", "IT");
        profile.put("profilePictureUUID", "11111111-2222-3333-4444-555555555555");
        profile.put("bannerPictureUUID", "66666666-7777-8888-9999-000000000000");
        a.ok("PATCH", "/user/profile", profile);
        b.ok("PATCH", "/user/profile", Map.of("name", "Eve", "color", "#000000"));
        b.ok("PATCH", "/user/profile", Map.of("color", "#111111")); // two of one type: contacts get the latest
        a.ok("PUT", "/chat/pin", Map.of("chatUUID", dm, "position", 3));
        a.ok("PUT", "/message/favorite", msg(dm, 0, m1));
        a.ok("PUT", "/message/favorite", msg(dm, 0, m2));
        a.ok("PUT", "/user/settings/preferences", Map.of("key", "theme", "value", "dark"));
        a.ok("PUT", "/user/settings/preferences", Map.of("key", "notifications", "value", Map.of("sound", false, "level", 2)));
        b.ok("PUT", "/user/settings/preferences", Map.of("key", "theme", "value", "light"));
        syncAndCompare("after profiles and user events");
        Projection pb = cb.projection();
        assertTrue(pb.lines().contains(Projection.userLine(a.uuid(), "Dora", "Explorer", "dora", "11111111-2222-3333-4444-555555555555",
                "66666666-7777-8888-9999-000000000000", "maps, \"quotes\", and\nnewlines ✨", "2000-02-29", "Lazio", "IT", "#ff8800")),
                pb.toString());
        Projection pa = ca.projection();
        assertTrue(has(pa, "user " + b.uuid() + " name=\"Eve\"") && pa.toString().contains("color=\"#111111\""), pa.toString());
        assertTrue(pa.lines().contains("chatpin " + dm + " position=3"));
        assertEquals(2, pa.count("fav"));
        assertEquals(2, pa.count("setting"));
        assertEquals(0, pb.count("fav"), "favourites are private");
        assertEquals(1, pb.count("setting"), "settings are private");

        // Move, undo and clear.
        a.ok("PUT", "/chat/pin", Map.of("chatUUID", dm, "position", 1));
        a.ok("DELETE", "/message/favorite", msg(dm, 0, m1));
        a.ok("PUT", "/user/settings/preferences", Map.of("key", "theme", "value", "solarized"));
        a.ok("PUT", "/user/settings/preferences", java.util.Collections.singletonMap("key", "notifications"));
        a.ok("PATCH", "/user/profile", Map.of("surname", "", "biography", "short"));
        syncAndCompare("after moving and clearing");
        pa = ca.projection();
        assertTrue(pa.lines().contains("chatpin " + dm + " position=1"), pa.toString());
        assertEquals(1, pa.count("fav"));
        assertTrue(pa.lines().contains("setting \"theme\" = \"solarized\""), pa.toString());
        assertEquals(1, pa.count("setting"));
        a.ok("DELETE", "/chat/pin", Map.of("chatUUID", dm));
        b.ok("DELETE", "/message", msg(dm, 0, m2)); // a favourite of a deleted message goes away
        syncAndCompare("after unpinning and a delete");
        assertEquals(0, ca.projection().count("chatpin"));
        assertEquals(0, ca.projection().count("fav"));
    }

    @Test
    void dmGroupChannelAndForumWithThreeAccounts() {
        E2e.As a = account("fred");
        E2e.As b = account("gina");
        E2e.As c = account("hank");
        client(a);
        E2e.Client cb = client(b);
        E2e.Client cc = client(c);
        String dm = a.createChat("DM", null, null, b.uuid());
        assertEquals(dm, b.createChat("DM", null, null, a.uuid()), "a second DM between the same two people");
        String group = b.createChat("GROUP", "Gang", null, a.uuid(), c.uuid());
        String channel = a.createChat("CHANNEL", "News", "news_ch", b.uuid());
        String forum = c.createChat("FORUM", "Forum", "the_forum", a.uuid());
        syncAndCompare("initial");
        a.send(dm, 0, "hi gina");
        b.send(dm, 0, "hi fred");
        c.send(group, 0, "group hello");
        a.send(channel, 0, "announcement");
        assertEquals(403, b.call("POST", "/message", Map.of("chatUUID", channel, "content", "not allowed")).status());
        long t1 = c.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "topic one")).path("id").asLong();
        long t2 = c.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "topic two")).path("id").asLong();
        for (int i = 0; i < 9; i++) (i % 2 == 0 ? a : c).send(forum, (int) (i < 5 ? t1 : t2), "post " + i);
        c.ok("POST", "/message/read", msg(forum, (int) t1, 5));
        c.join("news_ch");
        b.ok("PUT", "/message/reaction", msg(channel, 0, 1, "reaction", "🔥"));
        syncAndCompare("after messages in every chat type");
        assertFalse(holdsChat(cb.projection(), forum), "gina is not in the forum");
        assertFalse(holdsChat(cc.projection(), dm), "hank is not in the DM");
        assertTrue(holdsChat(cc.projection(), channel), "hank joined the channel");
        assertEquals(403, c.call("POST", "/chat/leave", Map.of("chatUUID", dm)).status());
        assertEquals(403, a.call("POST", "/chat/leave", Map.of("chatUUID", dm)).status(), "a DM cannot be left");
        c.ok("POST", "/chat/leave", Map.of("chatUUID", channel));
        a.ok("PATCH", "/chat/rename", Map.of("chatUUID", channel, "name", "News (old)"));
        syncAndCompare("after leaving the channel");
        assertFalse(holdsChat(cc.projection(), channel), "the leaver still holds the channel");
    }
}
