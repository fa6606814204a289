package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One Socket.IO event of the live channel, converted to the records the sync pipeline applies (docs/protocol.md#s5,
 * docs/protocol.md "Live channel"). Pure: no I/O, so every conversion is unit-tested on its own.
 *
 * <p>Stored changes carry the id that places them in a log: a message its per-(chat, sub) id, a chat event its
 * {@code chatEventID}, a profile change its {@code profileEventID}, a user event its {@code userEventID}. An event
 * that ought to be stored but cannot be placed (no id, an action this client does not know) becomes a
 * {@link Resync}: the next {@code POST /user/update} brings the change in its logged form instead.
 */
public sealed interface LiveEvent {
    /** {@code message:new}. */
    record NewMessage(Message message) implements LiveEvent {
    }

    /** {@code chat:new}: a chat created with the account in it, or one it joined. */
    record NewChat(Chat chat, List<User> users) implements LiveEvent {
    }

    /**
     * A chat event ({@code message:update}, {@code message:read}, {@code chat:update}, {@code chat:member:*});
     * {@code user} is the joiner's profile for {@code chat:member:joined}, else null.
     */
    record ChatChange(ChatEvent event, User user) implements LiveEvent {
    }

    /** {@code user:profile:update}. */
    record ProfileChange(ProfileEvent event) implements LiveEvent {
    }

    /** {@code user:setting:chat:update}, {@code user:setting:update}, {@code user:message:favorite:update}. */
    record UserChange(UserEvent event) implements LiveEvent {
    }

    /** {@code chat:member:activity} (typing): never stored. */
    record Activity(String chatUUID, String userUUID, String action) implements LiveEvent {
    }

    /** {@code user:presence:online} / {@code :offline}: never stored. */
    record Presence(String userUUID, boolean online, String lastAccessAt) implements LiveEvent {
    }

    /** A change that should be stored but cannot be placed or understood: fetch it with an update instead. */
    record Resync(String event, String reason) implements LiveEvent {
    }

    /** The reply to an {@code auth:refresh} (the liveness probe); {@code code} is null on success. */
    record AuthReply(String code) implements LiveEvent {
    }

    /** {@code auth:expired} (reconnect with a fresh token) or {@code auth:session-revoked} (signed out). */
    record AuthEnded(boolean revoked) implements LiveEvent {
    }

    /** An event this client does not use (counted, then dropped). */
    record Ignored(String event) implements LiveEvent {
    }

    /** Keys of {@code user:profile:update} that are not profile fields. */
    Set<String> PROFILE_META = Set.of("userUUID", "profileEventID", "uuid");

    /**
     * Converts one event. {@code receivedAt} (ISO-8601) stands in for event times the live payload does not carry
     * (an edit, a delete); payloads the server sends always win.
     */
    static LiveEvent parse(String name, JsonNode payload, String receivedAt) {
        JsonNode p = payload == null ? Json.mapper().nullNode() : payload;
        try {
            return switch (name) {
                case "message:new" -> newMessage(p);
                case "message:update" -> messageUpdate(p, receivedAt);
                case "message:read" -> messageRead(p, receivedAt);
                case "chat:new" -> newChat(p);
                case "chat:update" -> chatUpdate(p, receivedAt);
                case "chat:member:joined" -> memberJoined(p, receivedAt);
                case "chat:member:left" -> memberLeft(p, receivedAt);
                case "chat:member:activity" -> new Activity(text(p, "chatUUID"), text(p, "userUUID"), text(p, "action"));
                case "user:profile:update" -> profile(p, receivedAt);
                case "user:setting:chat:update" -> chatPin(p, receivedAt);
                case "user:setting:update" -> setting(p, receivedAt);
                case "user:message:favorite:update" -> favorite(p, receivedAt);
                case "user:presence:online" -> new Presence(text(p, "userUUID"), true, null);
                case "user:presence:offline" -> new Presence(text(p, "userUUID"), false, text(p, "lastAccessAt"));
                case "auth:refreshed" -> new AuthReply(null);
                case "auth:refresh:error" -> new AuthReply(text(p, "code") == null ? "UNKNOWN" : text(p, "code"));
                case "auth:expired" -> new AuthEnded(false);
                case "auth:session-revoked" -> new AuthEnded(true);
                default -> new Ignored(name);
            };
        } catch (IllegalArgumentException e) {
            // A payload of the wrong shape: the public client drops it silently; this one asks the server instead.
            return new Resync(name, e.getMessage());
        }
    }

    private static LiveEvent newMessage(JsonNode p) {
        if (!p.isObject()) throw new IllegalArgumentException("message:new without a message object");
        Message m = Json.mapper().convertValue(p, Message.class);
        if (m.chatUUID() == null || m.id() <= 0) throw new IllegalArgumentException("message:new without chatUUID or id");
        return new NewMessage(m);
    }

    private static LiveEvent messageUpdate(JsonNode p, String receivedAt) {
        String chat = required(p, "chatUUID");
        String action = required(p, "action");
        Long eventId = id(p, "chatEventID");
        if (eventId == null) return new Resync("message:update", "no chatEventID");
        ObjectNode payload = messageRef(p);
        String actor = text(p, "userUUID");
        String at = receivedAt;
        String type;
        switch (action) {
            case "edit" -> {
                type = ChatEvent.MESSAGE_EDITED;
                payload.set("content", p.has("content") ? p.get("content") : Json.mapper().nullNode());
                if (p.path("files").isArray()) payload.set("files", p.get("files"));
            }
            case "delete" -> type = ChatEvent.MESSAGE_DELETED;
            case "pin_add" -> {
                type = ChatEvent.MESSAGE_PINNED;
                String by = text(p, "pinnedBy") != null ? text(p, "pinnedBy") : actor;
                actor = by;
                at = orElse(text(p, "pinnedAt"), receivedAt);
                payload.put("pinnedAt", at);
                if (by != null) payload.put("pinnedBy", by);
            }
            case "pin_remove" -> type = ChatEvent.MESSAGE_UNPINNED;
            case "reaction_add", "reaction_remove" -> {
                type = action.equals("reaction_add") ? ChatEvent.REACTION_ADDED : ChatEvent.REACTION_REMOVED;
                String reaction = text(p, "reaction") != null ? text(p, "reaction") : text(p, "emoji");
                if (reaction == null || actor == null) throw new IllegalArgumentException(action + " without reaction or userUUID");
                payload.put("reaction", reaction).put("userUUID", actor);
                at = orElse(text(p, "reactedAt"), receivedAt);
            }
            case "read" -> {
                type = ChatEvent.MESSAGE_READ;
                if (actor == null) throw new IllegalArgumentException("read without userUUID");
                at = orElse(text(p, "readAt"), receivedAt);
                payload.put("userUUID", actor).put("readAt", at);
            }
            default -> {
                return new Resync("message:update", "unknown action " + action);
            }
        }
        return new ChatChange(new ChatEvent(eventId, type, chat, actor, at, payload), null);
    }

    private static LiveEvent messageRead(JsonNode p, String receivedAt) {
        String chat = required(p, "chatUUID");
        Long eventId = id(p, "chatEventID");
        if (eventId == null) return new Resync("message:read", "no chatEventID");
        String user = required(p, "userUUID");
        String at = orElse(text(p, "readAt"), receivedAt);
        ObjectNode payload = messageRef(p).put("userUUID", user).put("readAt", at);
        return new ChatChange(new ChatEvent(eventId, ChatEvent.MESSAGE_READ, chat, user, at, payload), null);
    }

    private static LiveEvent newChat(JsonNode p) {
        JsonNode chatNode = p.path("chat");
        if (!chatNode.isObject()) throw new IllegalArgumentException("chat:new without a chat object");
        Chat chat = Json.mapper().convertValue(chatNode, Chat.class);
        if (chat.uuid() == null) throw new IllegalArgumentException("chat:new without chat.uuid");
        List<User> users = new ArrayList<>();
        if (p.path("users").isArray()) {
            for (JsonNode u : p.get("users")) {
                User user = Json.mapper().convertValue(u, User.class);
                if (user.uuid() != null) users.add(user);
            }
        }
        return new NewChat(chat, users);
    }

    private static LiveEvent chatUpdate(JsonNode p, String receivedAt) {
        String chat = required(p, "chatUUID");
        String action = required(p, "action");
        Long eventId = id(p, "chatEventID");
        if (eventId == null) return new Resync("chat:update", "no chatEventID");
        ObjectNode payload = Json.mapper().createObjectNode();
        String at = receivedAt;
        String type;
        switch (action) {
            case "rename" -> {
                type = ChatEvent.CHAT_RENAMED;
                payload.put("name", required(p, "name"));
            }
            case "sub_create", "sub_rename" -> {
                type = action.equals("sub_create") ? ChatEvent.SUB_CREATED : ChatEvent.SUB_RENAMED;
                JsonNode sub = p.path("sub");
                Integer subId = intOrNull(sub.has("id") ? sub.get("id") : sub.get("subID"));
                if (subId == null) throw new IllegalArgumentException(action + " without sub.id");
                payload.put("subID", subId).put("name", text(sub, "name"));
                if (text(sub, "type") != null) payload.put("type", text(sub, "type"));
                String created = text(sub, "created_at") != null ? text(sub, "created_at") : text(sub, "createdAt");
                at = orElse(created, receivedAt);
            }
            case "sub_delete" -> {
                type = ChatEvent.SUB_DELETED;
                Integer subId = intOrNull(p.get("subID"));
                if (subId == null) throw new IllegalArgumentException("sub_delete without subID");
                payload.put("subID", subId);
            }
            case "description", "handle" -> {
                type = action.equals("description") ? ChatEvent.CHAT_DESCRIPTION_CHANGED : ChatEvent.CHAT_HANDLE_CHANGED;
                payload.put(action, text(p, action));
            }
            case "roles" -> {
                type = ChatEvent.MEMBER_ROLES_CHANGED;
                if (!p.path("roleIDs").isArray()) throw new IllegalArgumentException("roles without roleIDs");
                payload.put("userUUID", required(p, "userUUID"));
                payload.set("roleIDs", p.get("roleIDs"));
            }
            case "ban", "unban" -> {
                type = action.equals("ban") ? ChatEvent.MEMBER_BANNED : ChatEvent.MEMBER_UNBANNED;
                payload.put("userUUID", required(p, "userUUID")).put("by", text(p, "by"));
            }
            default -> {
                return new Resync("chat:update", "unknown action " + action);
            }
        }
        // Role and ban changes name their subject in userUUID; the actor of the others is not on the socket.
        String actor = payload.has("userUUID") ? text(p, "by") : text(p, "userUUID");
        return new ChatChange(new ChatEvent(eventId, type, chat, actor, at, payload), null);
    }

    private static LiveEvent memberJoined(JsonNode p, String receivedAt) {
        String chat = text(p.path("chat"), "uuid") != null ? text(p.path("chat"), "uuid") : required(p, "chatUUID");
        JsonNode userNode = p.path("user");
        User user = userNode.isObject() ? Json.mapper().convertValue(userNode, User.class) : null;
        String joiner = user != null && user.uuid() != null ? user.uuid() : required(p, "userUUID");
        Long eventId = id(p, "chatEventID");
        if (eventId == null) return new Resync("chat:member:joined", "no chatEventID");
        ObjectNode payload = Json.mapper().createObjectNode().put("userUUID", joiner);
        ArrayNode roles = payload.putArray("roleIDs");
        JsonNode given = p.has("roleIDs") ? p.get("roleIDs") : userNode.path("roleIDs");
        if (given.isArray()) {
            given.forEach(n -> roles.add(n.asInt()));
        } else {
            roles.add(0); // the live event names no roles; a joiner gets the member role (docs/protocol.md, Chats)
        }
        String at = orElse(text(p, "joinedAt"), receivedAt);
        return new ChatChange(new ChatEvent(eventId, ChatEvent.MEMBER_JOINED, chat, joiner, at, payload),
                user != null && user.uuid() != null ? user : null);
    }

    private static LiveEvent memberLeft(JsonNode p, String receivedAt) {
        String chat = text(p, "chatUUID") != null ? text(p, "chatUUID") : required(p.path("chat"), "uuid");
        String user = text(p.path("user"), "uuid") != null ? text(p.path("user"), "uuid") : required(p, "userUUID");
        Long eventId = id(p, "chatEventID");
        if (eventId == null) return new Resync("chat:member:left", "no chatEventID");
        ObjectNode payload = Json.mapper().createObjectNode().put("userUUID", user);
        return new ChatChange(new ChatEvent(eventId, ChatEvent.MEMBER_LEFT, chat, user, receivedAt, payload), null);
    }

    private static LiveEvent profile(JsonNode p, String receivedAt) {
        String user = required(p, "userUUID");
        Long eventId = id(p, "profileEventID");
        if (eventId == null) return new Resync("user:profile:update", "no profileEventID");
        ObjectNode fields = Json.mapper().createObjectNode();
        Iterator<String> names = p.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!PROFILE_META.contains(f)) fields.set(f, p.get(f));
        }
        return new ProfileChange(new ProfileEvent(eventId, user, null, receivedAt, fields));
    }

    private static LiveEvent chatPin(JsonNode p, String receivedAt) {
        String chat = required(p, "chatUUID");
        String action = required(p, "action");
        Long eventId = id(p, "userEventID");
        if (eventId == null) return new Resync("user:setting:chat:update", "no userEventID");
        ObjectNode payload = Json.mapper().createObjectNode().put("chatUUID", chat);
        String type;
        switch (action) {
            case "pin_add" -> {
                type = UserEvent.CHAT_PINNED;
                payload.put("position", p.path("position").asInt(0));
            }
            case "pin_remove" -> type = UserEvent.CHAT_UNPINNED;
            default -> {
                return new Resync("user:setting:chat:update", "unknown action " + action);
            }
        }
        return new UserChange(new UserEvent(eventId, type, chat, receivedAt, payload));
    }

    private static LiveEvent setting(JsonNode p, String receivedAt) {
        String key = required(p, "key");
        Long eventId = id(p, "userEventID");
        if (eventId == null) return new Resync("user:setting:update", "no userEventID");
        ObjectNode payload = Json.mapper().createObjectNode().put("key", key);
        payload.set("value", p.has("value") ? p.get("value") : Json.mapper().nullNode());
        return new UserChange(new UserEvent(eventId, UserEvent.SETTING_UPDATED, null, receivedAt, payload));
    }

    private static LiveEvent favorite(JsonNode p, String receivedAt) {
        String chat = required(p, "chatUUID");
        String action = required(p, "action");
        Long eventId = id(p, "userEventID");
        if (eventId == null) return new Resync("user:message:favorite:update", "no userEventID");
        ObjectNode payload = messageRef(p).put("chatUUID", chat);
        String type = switch (action) {
            case "favorite_add" -> UserEvent.MESSAGE_FAVORITED;
            case "favorite_remove" -> UserEvent.MESSAGE_UNFAVORITED;
            default -> null;
        };
        if (type == null) return new Resync("user:message:favorite:update", "unknown action " + action);
        if (type.equals(UserEvent.MESSAGE_FAVORITED)) payload.put("createdAt", orElse(text(p, "createdAt"), receivedAt));
        return new UserChange(new UserEvent(eventId, type, chat, receivedAt, payload));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** {@code {messageID, subID}} as numbers: on the socket messageID travels as a string, subID as a number. */
    private static ObjectNode messageRef(JsonNode p) {
        Long msg = id(p, "messageID");
        if (msg == null) throw new IllegalArgumentException("no messageID");
        Integer sub = intOrNull(p.get("subID"));
        return Json.mapper().createObjectNode().put("messageID", msg).put("subID", sub == null ? 0 : sub);
    }

    private static String required(JsonNode p, String field) {
        String v = text(p, field);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("no " + field);
        return v;
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p == null ? null : p.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String orElse(String v, String fallback) {
        return v != null ? v : fallback;
    }

    /** A positive id given as a number or a numeric string; null when absent; malformed ids are refused. */
    private static Long id(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isIntegralNumber()) return positive(v.asLong(), field);
        if (v.isTextual()) {
            try {
                return positive(Long.parseLong(v.asText().trim()), field);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " is not a number");
            }
        }
        throw new IllegalArgumentException(field + " is not a number");
    }

    private static long positive(long v, String field) {
        if (v <= 0) throw new IllegalArgumentException(field + " must be positive");
        return v;
    }

    private static Integer intOrNull(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isIntegralNumber()) return v.asInt();
        if (v.isTextual()) {
            try {
                return Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("subID is not a number");
            }
        }
        throw new IllegalArgumentException("subID is not a number");
    }
}
