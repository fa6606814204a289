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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership and moderation through the real server (docs/protocol.md#moderation): what a kick, a ban, an unban, a
 * role change and a hand-over of ownership leave in the event log and in each account's next update.
 */
class ModerationTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    RawApi.Account eve;
    String chat;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        eve = api.signup("eve");
        chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team", "handle", "team",
                "memberUUIDs", List.of(bob.uuid(), eve.uuid())))).path("chat").path("uuid").asText();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private JsonNode update(RawApi.Account who, long chatCursor) {
        return api.ok(api.post("/user/update", who.token(), Map.of("local", Map.of("eventID", 0),
                "chats", List.of(Map.of("chatUUID", chat, "eventID", chatCursor, "subs", List.of(Map.of("subID", 0, "messageID", 0)))),
                "users", List.of())));
    }

    static List<JsonNode> events(JsonNode update, String type) {
        List<JsonNode> out = new ArrayList<>();
        update.path("chats").path("events").forEach(e -> {
            if (e.path("type").asText().equals(type)) out.add(e);
        });
        return out;
    }

    private JsonNode chatOf(RawApi.Account who) {
        for (JsonNode c : api.ok(api.get("/user/initialize", who.token())).path("chats")) {
            if (c.path("uuid").asText().equals(chat)) return c;
        }
        return null;
    }

    static String rolesOf(JsonNode chat, String user) {
        for (JsonNode m : chat.path("members")) {
            if (m.path("uuid").asText().equals(user)) return m.path("roleIDs").toString();
        }
        return null;
    }

    @Test
    void aKickedMembersNextUpdateRemovesTheChatAndTheOthersSeeMemberLeftWithItsReason() {
        api.ok(api.post("/message", eve.token(), Map.of("chatUUID", chat, "content", "before")));
        long cursor = chatOf(eve).path("eventID").asLong();
        api.ok(api.post("/chat/kick", alice.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "after")));

        JsonNode evesUpdate = update(eve, cursor);
        assertEquals(chat, evesUpdate.path("chats").path("removed").path(0).asText(), "the chat is listed as removed");
        assertEquals(0, evesUpdate.path("chats").path("events").size(), "no event of the chat reaches the removed member");
        assertEquals(0, evesUpdate.path("messages").size(), "nor any message");
        assertEquals(403, api.get("/message/history?chatUUID=" + chat + "&subID=0", eve.token()).status(),
                "a removed member keeps no read access (docs/protocol.md#moderation)");

        List<JsonNode> left = events(update(bob, cursor), "MEMBER_LEFT");
        assertEquals(1, left.size());
        assertEquals(eve.uuid(), left.get(0).path("userUUID").asText(), "the actor is the member who is gone, as public clients read it");
        assertEquals("kick", left.get(0).path("payload").path("reason").asText());
        assertEquals(alice.uuid(), left.get(0).path("payload").path("by").asText());

        api.ok(api.post("/chat/join", eve.token(), Map.of("handle", "team")));
        assertEquals("[0]", rolesOf(chatOf(eve), eve.uuid()), "a kick is not a ban: she may come back");
    }

    @Test
    void aBannedUserCannotRejoinNorBeInvitedUntilUnbanned() {
        api.ok(api.put("/chat/ban", alice.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        JsonNode left = events(update(bob, 0), "MEMBER_LEFT").get(0);
        assertEquals("ban", left.path("payload").path("reason").asText());
        assertEquals(chat, update(eve, 1).path("chats").path("removed").path(0).asText());

        RawApi.Reply join = api.post("/chat/join", eve.token(), Map.of("handle", "team"));
        assertEquals(403, join.status());
        assertEquals("FORBIDDEN", join.error());
        RawApi.Reply invite = api.post("/chat/invite", bob.token(), Map.of("chatUUID", chat, "userUUIDs", List.of(eve.uuid())));
        assertEquals(403, invite.status(), "bob is a plain member: no invites");
        invite = api.post("/chat/invite", alice.token(), Map.of("chatUUID", chat, "userUUIDs", List.of(eve.uuid())));
        assertEquals(409, invite.status());
        assertEquals("CONFLICT", invite.error());
        JsonNode bans = api.ok(api.get("/chat/bans?chatUUID=" + chat, alice.token())).path("bans");
        assertEquals(1, bans.size());
        assertEquals(eve.uuid(), bans.get(0).path("userUUID").asText());
        assertEquals(alice.uuid(), bans.get(0).path("by").asText());
        JsonNode again = api.ok(api.put("/chat/ban", alice.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        assertFalse(again.has("chatEventID"), "a repeated ban logs nothing");

        JsonNode unban = api.ok(api.delete("/chat/ban", alice.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        assertTrue(unban.has("chatEventID"));
        assertEquals(1, events(update(bob, 0), "MEMBER_UNBANNED").size());
        JsonNode invited = api.ok(api.post("/chat/invite", alice.token(), Map.of("chatUUID", chat, "userUUIDs", List.of(eve.uuid()))));
        assertEquals(eve.uuid(), invited.path("userUUIDs").get(0).asText());
        List<JsonNode> joined = events(update(bob, 0), "MEMBER_JOINED");
        assertEquals(eve.uuid(), joined.get(joined.size() - 1).path("userUUID").asText(), "an invite is a MEMBER_JOINED of the invitee");
        assertEquals(alice.uuid(), joined.get(joined.size() - 1).path("payload").path("by").asText());
        assertTrue(update(eve, 0).path("chats").path("removed").isEmpty(), "she is a member again");
    }

    @Test
    void theCreatorOwnsTheChatCannotLeaveUntilHandingOverAndStaysAdminAfter() {
        JsonNode c = chatOf(alice);
        assertEquals("[0,1,2]", rolesOf(c, alice.uuid()));
        assertEquals("[0]", rolesOf(c, bob.uuid()));
        List<String> roles = new ArrayList<>();
        c.path("roles").forEach(r -> roles.add(r.path("id").asInt() + " " + r.path("name").asText() + " "
                + r.path("level").asInt() + " " + r.path("permission").asText()));
        assertEquals(List.of("0 member 0 SEND,EDIT_OWN,DELETE_OWN,REACT,PIN",
                "1 admin 100 SEND,PIN,DELETE_ANY,EDIT_CHAT,MANAGE_SUBS,INVITE,KICK,BAN",
                "2 owner 1000 MANAGE_ADMINS,TRANSFER_OWNERSHIP"), roles);

        RawApi.Reply leave = api.post("/chat/leave", alice.token(), Map.of("chatUUID", chat));
        assertEquals(409, leave.status());
        api.ok(api.post("/chat/owner", alice.token(), Map.of("chatUUID", chat, "userUUID", bob.uuid())));
        c = chatOf(bob);
        assertEquals("[0,1,2]", rolesOf(c, bob.uuid()));
        assertEquals("[0,1]", rolesOf(c, alice.uuid()));
        assertEquals(2, events(update(eve, 0), "MEMBER_ROLES_CHANGED").size());
        assertEquals(403, api.post("/chat/kick", alice.token(), Map.of("chatUUID", chat, "userUUID", bob.uuid())).status(),
                "nobody removes the owner");
        api.ok(api.delete("/chat/admin", bob.token(), Map.of("chatUUID", chat, "userUUID", alice.uuid())));
        assertEquals("[0]", rolesOf(chatOf(bob), alice.uuid()));
        api.ok(api.post("/chat/leave", alice.token(), Map.of("chatUUID", chat)));
        api.ok(api.post("/chat/leave", eve.token(), Map.of("chatUUID", chat)));
        api.ok(api.post("/chat/leave", bob.token(), Map.of("chatUUID", chat))); // an owner alone may go

        String dm = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "DM", "memberUUIDs", List.of(bob.uuid()))))
                .path("chat").path("uuid").asText();
        for (JsonNode d : api.ok(api.get("/user/initialize", alice.token())).path("chats")) {
            if (d.path("uuid").asText().equals(dm)) {
                assertEquals(1, d.path("roles").size(), "a DM has members only");
                d.path("members").forEach(m -> assertEquals("[0]", m.path("roleIDs").toString()));
            }
        }
    }

    @Test
    void descriptionAndHandleChangesAreLoggedAndAHandleMovesWithTheChat() {
        api.post("/chat/create", bob.token(), Map.of("type", "GROUP", "name", "Other", "handle", "taken",
                "memberUUIDs", List.of()));
        api.ok(api.patch("/chat/description", alice.token(), Map.of("chatUUID", chat, "description", "What we do")));
        assertEquals(409, api.patch("/chat/handle", alice.token(), Map.of("chatUUID", chat, "handle", "taken")).status());
        api.ok(api.patch("/chat/handle", alice.token(), Map.of("chatUUID", chat, "handle", "@Crew")));
        JsonNode c = chatOf(bob);
        assertEquals("What we do", c.path("description").asText());
        assertEquals("crew", c.path("handle").asText());
        JsonNode u = update(bob, 0);
        assertEquals("What we do", events(u, "CHAT_DESCRIPTION_CHANGED").get(0).path("payload").path("description").asText());
        assertEquals("crew", events(u, "CHAT_HANDLE_CHANGED").get(0).path("payload").path("handle").asText());
        RawApi.Account zed = api.signup("zed");
        assertEquals(404, api.post("/chat/join", zed.token(), Map.of("handle", "team")).status(), "the old handle is free");
        api.ok(api.post("/chat/join", zed.token(), Map.of("handle", "crew")));
        JsonNode same = api.ok(api.patch("/chat/handle", alice.token(), Map.of("chatUUID", chat, "handle", "crew")));
        assertFalse(same.has("chatEventID"), "no change logs nothing");
    }
}
