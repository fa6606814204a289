package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visibility rules (docs/protocol.md#visibility), read straight off {@code /user/update} replies. */
class VisibilityTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account author;
    RawApi.Account admin;
    RawApi.Account member;
    RawApi.Account outsider;
    String chat;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
        admin = api.signup("admin");
        author = api.signup("author");
        member = api.signup("member");
        outsider = api.signup("outsider");
        chat = api.ok(api.post("/chat/create", admin.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(author.uuid(), member.uuid())))).path("chat").path("uuid").asText();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private JsonNode update(RawApi.Account who, long chatCursor) {
        return api.ok(api.post("/user/update", who.token(), Map.of(
                "local", Map.of("eventID", 0),
                "chats", List.of(Map.of("chatUUID", chat, "eventID", chatCursor, "subs", List.of())),
                "users", List.of(Map.of("userUUID", author.uuid(), "profileEventID", 0)))));
    }

    private static List<String> editContents(JsonNode update) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : update.path("chats").path("events")) {
            if (e.path("type").asText().equals("MESSAGE_EDITED")) {
                out.add(e.path("payload").path("content").asText());
            }
        }
        return out;
    }

    @Test
    void otherMembersSeeOnlyTheLatestEditAuthorAndAdminSeeEvery() {
        api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "v0")));
        for (String v : List.of("v1", "v2", "v3")) {
            api.ok(api.patch("/message", author.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1, "content", v)));
        }
        assertEquals(List.of("v3"), editContents(update(member, 0)));
        assertEquals(List.of("v1", "v2", "v3"), editContents(update(author, 0)));
        assertEquals(List.of("v1", "v2", "v3"), editContents(update(admin, 0)));
        // Since a cursor past the first edit, the author still gets each later edit; the member the newest.
        assertEquals(List.of("v2", "v3"), editContents(update(author, 1)));
        assertEquals(List.of("v3"), editContents(update(member, 1)));
        // Other event types are never thinned out.
        api.ok(api.put("/message/reaction", member.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1, "reaction", "+1")));
        api.ok(api.delete("/message/reaction", member.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1, "reaction", "+1")));
        JsonNode later = update(member, 3);
        assertEquals(2, later.path("chats").path("events").size());
    }

    @Test
    void contactsSeeTheLatestProfileEventOfEachTypeTheOwnerSeesAll() {
        api.ok(api.patch("/user/profile", author.token(), Map.of("biography", "b1")));
        api.ok(api.patch("/user/profile", author.token(), Map.of("name", "Author One")));
        api.ok(api.patch("/user/profile", author.token(), Map.of("biography", "b2")));
        api.ok(api.patch("/user/profile", author.token(), Map.of("biography", "b3", "color", "#ff0000")));
        JsonNode seenByMember = update(member, 0).path("users").path("events");
        List<String> memberSees = new ArrayList<>();
        seenByMember.forEach(e -> memberSees.add(e.path("type").asText() + "=" + e.path("payload").elements().next().asText()));
        assertEquals(List.of("NAME_CHANGED=Author One", "BIO_CHANGED=b3", "COLOR_CHANGED=#ff0000"), memberSees);
        JsonNode seenByOwner = update(author, 0).path("users").path("events");
        assertEquals(5, seenByOwner.size());
        assertEquals("b1", seenByOwner.get(0).path("payload").path("biography").asText());
    }

    @Test
    void nonMembersSeeNothingOfAChat() {
        api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "secret")));
        JsonNode init = api.ok(api.get("/user/initialize", outsider.token()));
        assertEquals(0, init.path("chats").size());
        assertEquals(0, init.path("messages").size());
        assertEquals(1, init.path("users").size(), "an outsider knows only themself");
        JsonNode probe = update(outsider, 0);
        assertEquals(List.of(chat), List.of(probe.path("chats").path("removed").get(0).asText()));
        assertEquals(0, probe.path("chats").path("events").size());
        assertEquals(0, probe.path("messages").size());
        assertEquals(403, api.get("/message/history?chatUUID=" + chat, outsider.token()).status());
        // Listing a stranger's uuid in an update does not reveal their profile changes.
        api.ok(api.patch("/user/profile", author.token(), Map.of("biography", "private")));
        assertEquals(0, probe.path("users").path("events").size());
        assertEquals(0, update(outsider, 0).path("users").path("events").size());
    }

    @Test
    void leavingRemovesTheChatAndItsEventsFromTheLeaver() {
        api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "before")));
        api.ok(api.post("/chat/leave", member.token(), Map.of("chatUUID", chat)));
        api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "after")));
        JsonNode u = update(member, 0);
        assertEquals(chat, u.path("chats").path("removed").get(0).asText());
        assertEquals(0, u.path("messages").size());
        JsonNode forAdmin = update(admin, 0);
        assertTrue(forAdmin.path("chats").path("events").toString().contains("MEMBER_LEFT"));
    }

    @Test
    void userEventsReachOnlyTheirOwner() {
        api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "fav me")));
        api.ok(api.put("/message/favorite", member.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1)));
        api.ok(api.put("/chat/pin", member.token(), Map.of("chatUUID", chat, "position", 0)));
        api.ok(api.put("/user/settings/preferences", member.token(), Map.of("key", "theme", "value", "dark")));
        assertEquals(3, update(member, 0).path("local").size());
        assertEquals(0, update(author, 0).path("local").size());
        assertEquals(0, update(admin, 0).path("local").size());
    }

    @Test
    void pagingDeliversEveryMessageExactlyOnceInDenseRuns() {
        for (int i = 1; i <= 23; i++) {
            api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "m" + i)));
        }
        long cursor = 0;
        List<Long> seen = new ArrayList<>();
        boolean more = true;
        int pages = 0;
        while (more) {
            JsonNode u = api.ok(api.post("/user/update?limit=5", member.token(), Map.of(
                    "chats", List.of(Map.of("chatUUID", chat, "eventID", 0,
                            "subs", List.of(Map.of("subID", 0, "messageID", cursor)))))));
            for (JsonNode m : u.path("messages")) {
                seen.add(m.path("id").asLong());
                cursor = m.path("id").asLong();
            }
            more = u.path("hasMore").asBoolean(false);
            pages++;
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 23; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(5, pages);
    }

    @Test
    void tempIdRetryReturnsTheFirstMessage() {
        JsonNode first = api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "once", "tempId", "t-1")));
        JsonNode retry = api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "content", "once", "tempId", "t-1")));
        assertEquals(first, retry);
        JsonNode init = api.ok(api.get("/user/initialize", member.token()));
        assertEquals(1, init.path("messages").size());
        assertTrue(init.path("messages").get(0).path("tempId").isMissingNode(), "tempId is echoed to the author only");
    }
}
