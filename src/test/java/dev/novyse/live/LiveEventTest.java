package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UserEvent;
import dev.novyse.sync.LiveEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket payloads (docs/protocol.md#s5 shapes) to the records the sync applies. */
class LiveEventTest {
    private static final String AT = "2026-01-01T00:00:00Z";

    private static LiveEvent parse(String name, String json) throws Exception {
        JsonNode p = Json.mapper().readTree(json);
        return LiveEvent.parse(name, p, AT);
    }

    @Test
    void messageUpdateActionsBecomeChatEventsWithTheChatEventId() throws Exception {
        var edit = (LiveEvent.ChatChange) parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"7\",\"action\":\"edit\",\"chatEventID\":12,\"content\":\"x\",\"files\":[]}");
        assertEquals(12, edit.event().id());
        assertEquals(ChatEvent.MESSAGE_EDITED, edit.event().type());
        assertEquals(7, edit.event().payload().get("messageID").asLong(), "the socket's string id becomes a number");
        assertEquals("x", edit.event().payload().get("content").asText());

        var react = (LiveEvent.ChatChange) parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":2,\"messageID\":\"1\",\"action\":\"reaction_add\",\"chatEventID\":\"3\","
                        + "\"reaction\":\"+1\",\"reactedAt\":\"2026-02-02T00:00:00Z\",\"userUUID\":\"u\"}");
        assertEquals(ChatEvent.REACTION_ADDED, react.event().type());
        assertEquals("u", react.event().userUUID());
        assertEquals("2026-02-02T00:00:00Z", react.event().createdAt());
        assertEquals(2, react.event().payload().get("subID").asInt());

        var pin = (LiveEvent.ChatChange) parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"1\",\"action\":\"pin_add\",\"chatEventID\":4,\"pinnedBy\":\"u\"}");
        assertEquals(ChatEvent.MESSAGE_PINNED, pin.event().type());
        assertEquals(AT, pin.event().payload().get("pinnedAt").asText(), "a missing time is the receive time");

        var read = (LiveEvent.ChatChange) parse("message:read",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"5\",\"chatEventID\":9,\"userUUID\":\"u\",\"readAt\":\"t\"}");
        assertEquals(ChatEvent.MESSAGE_READ, read.event().type());
        assertEquals("t", read.event().createdAt());
    }

    @Test
    void eventsThatCannotBePlacedAskForASync() throws Exception {
        assertInstanceOf(LiveEvent.Resync.class, parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"1\",\"action\":\"edit\",\"content\":\"x\"}"), "no chatEventID");
        assertInstanceOf(LiveEvent.Resync.class, parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"1\",\"action\":\"sparkle\",\"chatEventID\":3}"), "unknown action");
        assertInstanceOf(LiveEvent.Resync.class, parse("message:update",
                "{\"chatUUID\":\"c\",\"subID\":\"zero\",\"messageID\":\"1\",\"action\":\"delete\",\"chatEventID\":3}"), "bad subID");
        assertInstanceOf(LiveEvent.Resync.class, parse("message:new", "[1,2]"));
        assertInstanceOf(LiveEvent.Resync.class, parse("chat:member:left", "{\"chatUUID\":\"c\",\"user\":{\"uuid\":\"u\"}}"),
                "the public server's member:left has no id");
        assertInstanceOf(LiveEvent.Resync.class, parse("user:setting:update", "{\"key\":\"k\",\"value\":1}"));
        assertInstanceOf(LiveEvent.Ignored.class, parse("something:new", "{}"));
    }

    @Test
    void chatMembershipProfileAndUserEvents() throws Exception {
        var joined = (LiveEvent.ChatChange) parse("chat:member:joined",
                "{\"chat\":{\"uuid\":\"c\"},\"user\":{\"uuid\":\"u\",\"name\":\"U\"},\"chatEventID\":5}");
        assertEquals(ChatEvent.MEMBER_JOINED, joined.event().type());
        assertEquals("u", joined.user().uuid());
        assertEquals("[0]", joined.event().payload().get("roleIDs").toString());

        var sub = (LiveEvent.ChatChange) parse("chat:update",
                "{\"chatUUID\":\"c\",\"action\":\"sub_create\",\"chatEventID\":6,\"sub\":{\"id\":1,\"name\":\"s\",\"type\":\"TEXT\",\"created_at\":\"t\"}}");
        assertEquals(ChatEvent.SUB_CREATED, sub.event().type());
        assertEquals(1, sub.event().payload().get("subID").asInt());
        assertEquals("t", sub.event().createdAt());

        var roles = (LiveEvent.ChatChange) parse("chat:update",
                "{\"chatUUID\":\"c\",\"action\":\"roles\",\"chatEventID\":7,\"userUUID\":\"u\",\"roleIDs\":[0,1],\"by\":\"o\"}");
        assertEquals(ChatEvent.MEMBER_ROLES_CHANGED, roles.event().type());
        assertEquals("o", roles.event().userUUID(), "the actor of a role change is who made it");
        assertEquals("{\"userUUID\":\"u\",\"roleIDs\":[0,1]}", roles.event().payload().toString());
        var handle = (LiveEvent.ChatChange) parse("chat:update",
                "{\"chatUUID\":\"c\",\"action\":\"handle\",\"chatEventID\":8,\"handle\":null}");
        assertEquals(ChatEvent.CHAT_HANDLE_CHANGED, handle.event().type());
        assertTrue(handle.event().payload().get("handle").isNull());
        var ban = (LiveEvent.ChatChange) parse("chat:update",
                "{\"chatUUID\":\"c\",\"action\":\"ban\",\"chatEventID\":9,\"userUUID\":\"u\",\"by\":\"o\"}");
        assertEquals(ChatEvent.MEMBER_BANNED, ban.event().type());

        var profile = (LiveEvent.ProfileChange) parse("user:profile:update",
                "{\"userUUID\":\"u\",\"biography\":\"b\",\"color\":null,\"profileEventID\":3}");
        assertEquals(3, profile.event().id());
        assertEquals("{\"biography\":\"b\",\"color\":null}", profile.event().payload().toString());

        var fav = (LiveEvent.UserChange) parse("user:message:favorite:update",
                "{\"chatUUID\":\"c\",\"subID\":0,\"messageID\":\"4\",\"action\":\"favorite_add\",\"userEventID\":8}");
        assertEquals(UserEvent.MESSAGE_FAVORITED, fav.event().type());
        assertEquals(4, fav.event().payload().get("messageID").asLong());

        var pin = (LiveEvent.UserChange) parse("user:setting:chat:update",
                "{\"chatUUID\":\"c\",\"action\":\"pin_remove\",\"userEventID\":9}");
        assertEquals(UserEvent.CHAT_UNPINNED, pin.event().type());

        var off = (LiveEvent.Presence) parse("user:presence:offline", "{\"userUUID\":\"u\",\"lastAccessAt\":\"t\"}");
        assertEquals("t", off.lastAccessAt());
        assertNull(((LiveEvent.AuthReply) parse("auth:refreshed", "{}")).code());
    }
}
