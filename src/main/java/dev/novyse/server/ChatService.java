package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Chats: creation, the chat's own fields (name, description, handle), sub-channels, and the caller's chat pins.
 * Who is in a chat is {@link MembershipService}'s.
 */
final class ChatService {
    static final Set<String> TYPES = Set.of("DM", "GROUP", "CHANNEL", "FORUM");

    private final ServerDatabase db;
    private final Clock clock;

    ChatService(ServerDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * {@code chat:update} to the chat's members after commit, naming who did it in {@code userUUID} (an extension:
     * the event log's actor, which a client's live copy of the event otherwise lacks).
     */
    private void announceChatUpdate(Connection c, String chat, String action, long chatEventID, String caller,
                                    ObjectNode extra) throws SQLException {
        announceChatUpdate(db, c, chat, action, chatEventID, extra.put("userUUID", caller));
    }

    /** {@code chat:update} to the chat's members after commit; {@link MembershipService}'s role and ban changes too. */
    static void announceChatUpdate(ServerDatabase db, Connection c, String chat, String action,
                                   long chatEventID, ObjectNode extra) throws SQLException {
        ObjectNode payload = Http.object().put("chatUUID", chat).put("action", action).put("chatEventID", chatEventID);
        payload.setAll(extra);
        List<String> to = Access.members(c, chat);
        db.announce(Announcement.inChat(chat, to, "chat:update", payload));
    }

    private void announceToSelf(String user, String event, ObjectNode payload) {
        db.announce(Announcement.ofUser(user, List.of(user), event, payload));
    }

    /** {@code {chat, users}} as the public API answers create and join. */
    static ObjectNode chatReply(Connection c, String chat) throws SQLException {
        Chat full = EntityReader.chat(c, chat);
        List<User> users = new ArrayList<>();
        for (var m : full.members()) {
            users.add(EntityReader.user(c, m.uuid()));
        }
        ObjectNode out = Http.object();
        out.set("chat", Json.mapper().valueToTree(full));
        out.set("users", Json.mapper().valueToTree(users));
        return out;
    }

    static String normaliseHandle(String raw) {
        String h = raw.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("@")) {
            h = h.substring(1);
        }
        if (!AuthService.USERNAME.matcher(h).matches()) {
            throw ApiError.badRequest("handle must be 3-32 characters of a-z, 0-9, '_' and '.'");
        }
        return h;
    }

    ObjectNode create(String caller, Body b) {
        String type = b.string("type", 16).toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw ApiError.badRequest("field 'type' must be one of DM, GROUP, CHANNEL, FORUM");
        }
        Set<String> others = new LinkedHashSet<>();
        var uuids = b.optArray("memberUUIDs", 1000);
        if (uuids != null) {
            for (var n : uuids) {
                if (!n.isTextual()) {
                    throw ApiError.badRequest("items of 'memberUUIDs' must be strings");
                }
                if (!n.textValue().equals(caller)) {
                    others.add(n.textValue());
                }
            }
        }
        String name = b.optString("name", 128);
        String description = b.optString("description", 1024);
        String handle = b.has("handle") ? normaliseHandle(b.string("handle", 64)) : null;
        if (type.equals("DM")) {
            if (others.size() != 1) {
                throw ApiError.badRequest("a DM needs exactly one other member");
            }
            if (handle != null) {
                throw ApiError.badRequest("a DM has no handle");
            }
        } else if (name == null || name.isBlank()) {
            throw ApiError.badRequest("field 'name' is required for a " + type);
        }
        return db.write(c -> {
            for (String other : others) {
                if (queryString(c, "SELECT uuid FROM users WHERE uuid=?", other) == null) {
                    throw ApiError.notFound("user " + other + " not found");
                }
            }
            String dmKey = null;
            if (type.equals("DM")) {
                String other = others.iterator().next();
                dmKey = caller.compareTo(other) < 0 ? caller + "|" + other : other + "|" + caller;
                String existing = queryString(c, "SELECT uuid FROM chats WHERE dm_key=?", dmKey);
                if (existing != null) {
                    return chatReply(c, existing);
                }
            }
            if (handle != null && queryString(c, "SELECT handle FROM handles WHERE handle=?", handle) != null) {
                throw ApiError.conflict("handle '" + handle + "' is taken");
            }
            String uuid = UUID.randomUUID().toString();
            String at = Times.iso(clock);
            update(c, "INSERT INTO chats(uuid, type, name, description, handle, created_at, created_by, dm_key)"
                    + " VALUES(?,?,?,?,?,?,?,?)", uuid, type, name == null ? null : name.strip(), description, handle,
                    at, caller, dmKey);
            if (handle != null) {
                update(c, "INSERT INTO handles(handle, chat_uuid) VALUES(?,?)", handle, uuid);
            }
            update(c, "INSERT INTO subs(chat_uuid, id, name, type, created_at) VALUES(?,0,'general','DEFAULT',?)", uuid, at);
            // The creator owns the chat (a DM has no owner nor admin: both are plain members).
            String creatorRoles = type.equals("DM") ? Permissions.MEMBER_ROLES : Permissions.OWNER_ROLES;
            update(c, "INSERT INTO members(chat_uuid, user_uuid, role_ids, joined_at) VALUES(?,?,?,?)",
                    uuid, caller, creatorRoles, at);
            for (String other : others) {
                update(c, "INSERT INTO members(chat_uuid, user_uuid, role_ids, joined_at) VALUES(?,?,?,?)",
                        uuid, other, Permissions.MEMBER_ROLES, at);
            }
            ObjectNode reply = chatReply(c, uuid);
            List<String> to = Access.members(c, uuid);
            db.announce(Announcement.inChat(uuid, to, "chat:new", reply));
            return reply;
        });
    }

    ObjectNode rename(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String name = b.string("name", 128).strip();
        if (name.isEmpty()) {
            throw ApiError.badRequest("field 'name' must not be blank");
        }
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.EDIT_CHAT);
            update(c, "UPDATE chats SET name=? WHERE uuid=?", name, chat);
            long id = EventLog.chatEvent(c, chat, ChatEvent.CHAT_RENAMED, caller, Times.iso(clock),
                    Http.object().put("name", name), null, null);
            announceChatUpdate(c, chat, "rename", id, caller, Http.object().put("name", name));
            return Http.object().put("name", name).put("chatEventID", id);
        });
    }

    /** {@code PATCH /chat/description {chatUUID, description}}: null or blank clears it; no change logs nothing. */
    ObjectNode describe(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String given = b.optString("description", 1024);
        String description = given == null || given.isBlank() ? null : given.strip();
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.EDIT_CHAT);
            ObjectNode out = Http.object().put("description", description);
            if (Objects.equals(description, queryString(c, "SELECT description FROM chats WHERE uuid=?", chat))) {
                return out;
            }
            update(c, "UPDATE chats SET description=? WHERE uuid=?", description, chat);
            long id = EventLog.chatEvent(c, chat, ChatEvent.CHAT_DESCRIPTION_CHANGED, caller, Times.iso(clock),
                    Http.object().put("description", description), null, null);
            announceChatUpdate(c, chat, "description", id, caller, Http.object().put("description", description));
            return out.put("chatEventID", id);
        });
    }

    /** {@code PATCH /chat/handle {chatUUID, handle}}: a free handle, or null to drop it (the chat is then unjoinable). */
    ObjectNode changeHandle(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String handle = b.has("handle") ? normaliseHandle(b.string("handle", 64)) : null;
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.EDIT_CHAT);
            ObjectNode out = Http.object().put("handle", handle);
            String current = queryString(c, "SELECT handle FROM chats WHERE uuid=?", chat);
            if (Objects.equals(handle, current)) {
                return out;
            }
            if (handle != null && queryString(c, "SELECT handle FROM handles WHERE handle=?", handle) != null) {
                throw ApiError.conflict("handle '" + handle + "' is taken");
            }
            update(c, "DELETE FROM handles WHERE chat_uuid=?", chat);
            update(c, "UPDATE chats SET handle=? WHERE uuid=?", handle, chat);
            if (handle != null) {
                update(c, "INSERT INTO handles(handle, chat_uuid) VALUES(?,?)", handle, chat);
            }
            long id = EventLog.chatEvent(c, chat, ChatEvent.CHAT_HANDLE_CHANGED, caller, Times.iso(clock),
                    Http.object().put("handle", handle), null, null);
            announceChatUpdate(c, chat, "handle", id, caller, Http.object().put("handle", handle));
            return out.put("chatEventID", id);
        });
    }

    ObjectNode createSub(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String name = b.string("name", 128).strip();
        String type = b.optString("type", 32);
        String subType = type == null ? "TEXT" : type.toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw ApiError.badRequest("field 'name' must not be blank");
        }
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.MANAGE_SUBS);
            // Bumped before it is read: the row stays locked to this transaction (other processes wait for it), so
            // the name is checked after another's create or rename of this chat has committed.
            update(c, "UPDATE chats SET next_sub_id = next_sub_id + 1 WHERE uuid=?", chat);
            requireFreeSubName(c, chat, name, -1);
            long id = queryLong(c, "SELECT next_sub_id - 1 FROM chats WHERE uuid=?", chat);
            String at = Times.iso(clock);
            update(c, "INSERT INTO subs(chat_uuid, id, name, type, created_at) VALUES(?,?,?,?,?)", chat, id, name, subType, at);
            long event = EventLog.chatEvent(c, chat, ChatEvent.SUB_CREATED, caller, at,
                    Http.object().put("subID", id).put("name", name).put("type", subType), (int) id, null);
            ObjectNode out = Json.mapper().valueToTree(new Sub((int) id, name, subType, at));
            ObjectNode extra = Http.object();
            extra.set("sub", out.deepCopy());
            announceChatUpdate(c, chat, "sub_create", event, caller, extra);
            return out.put("chatEventID", event);
        });
    }

    ObjectNode renameSub(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        int sub = (int) b.integer("id", 1, Integer.MAX_VALUE);
        String name = b.string("name", 128).strip();
        if (name.isEmpty()) {
            throw ApiError.badRequest("field 'name' must not be blank");
        }
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.MANAGE_SUBS);
            Access.requireSub(c, chat, sub);
            // The chat's row locked as a create locks it: two renames (or a create) to one name take turns.
            update(c, "UPDATE chats SET next_sub_id = next_sub_id WHERE uuid=?", chat);
            requireFreeSubName(c, chat, name, sub);
            update(c, "UPDATE subs SET name=? WHERE chat_uuid=? AND id=?", name, chat, sub);
            String type = queryString(c, "SELECT type FROM subs WHERE chat_uuid=? AND id=?", chat, sub);
            long event = EventLog.chatEvent(c, chat, ChatEvent.SUB_RENAMED, caller, Times.iso(clock),
                    Http.object().put("subID", sub).put("name", name).put("type", type), sub, null);
            ObjectNode extra = Http.object();
            extra.putObject("sub").put("id", sub).put("name", name).put("type", type);
            announceChatUpdate(c, chat, "sub_rename", event, caller, extra);
            return Http.object().put("chatEventID", event);
        });
    }

    /**
     * A forum's subs keep names of their own: clients address a sub by its name ({@code send --sub NAME}, the chat
     * screen's {@code /sub NAME}), and a second "Build" made by accident broke both. Names differing in case only
     * stay apart (clients take the exact name first), as on a server without this rule.
     */
    private static void requireFreeSubName(Connection c, String chat, String name, long except) throws SQLException {
        if (queryLong(c, "SELECT COUNT(*) FROM subs WHERE chat_uuid=? AND deleted=0 AND id<>? AND name=?",
                chat, except, name) > 0) {
            throw ApiError.conflict("this forum has a sub named '" + name + "' already");
        }
    }

    ObjectNode deleteSub(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        int sub = (int) b.integer("id", 1, Integer.MAX_VALUE);
        return db.write(c -> {
            Access.require(c, chat, caller, Permissions.Right.MANAGE_SUBS);
            Access.requireSub(c, chat, sub);
            update(c, "UPDATE subs SET deleted=1 WHERE chat_uuid=? AND id=?", chat, sub);
            // Clients drop a deleted sub with its pins and favourites; the server must not list them any more.
            update(c, "DELETE FROM pins WHERE chat_uuid=? AND sub_id=?", chat, sub);
            update(c, "DELETE FROM favorites WHERE chat_uuid=? AND sub_id=?", chat, sub);
            long event = EventLog.chatEvent(c, chat, ChatEvent.SUB_DELETED, caller, Times.iso(clock),
                    Http.object().put("subID", sub), sub, null);
            announceChatUpdate(c, chat, "sub_delete", event, caller, Http.object().put("subID", sub));
            return Http.object().put("chatEventID", event);
        });
    }

    ObjectNode pinChat(String caller, Body b, boolean add) {
        String chat = b.string("chatUUID", 64);
        Long position = add ? b.integer("position", 0, 10_000) : null;
        return db.write(c -> {
            Access.requireMember(c, chat, caller);
            String at = Times.iso(clock);
            ObjectNode out = Http.object();
            Long current = queryLong(c, "SELECT position FROM chat_pins WHERE user_uuid=? AND chat_uuid=?", caller, chat);
            if (add) {
                if (current != null && current.equals(position)) {
                    return out.put("position", position);
                }
                update(c, "INSERT INTO chat_pins(user_uuid, chat_uuid, position) VALUES(?,?,?) ON CONFLICT(user_uuid, chat_uuid)"
                        + " DO UPDATE SET position=excluded.position", caller, chat, position);
                out.put("position", position);
                long event = EventLog.userEvent(c, caller, UserEvent.CHAT_PINNED, chat, at,
                        Http.object().put("chatUUID", chat).put("position", position));
                out.put("userEventID", event);
                announceToSelf(caller, "user:setting:chat:update", Http.object().put("chatUUID", chat)
                        .put("action", "pin_add").put("position", position).put("userEventID", event));
            } else if (current != null) {
                update(c, "DELETE FROM chat_pins WHERE user_uuid=? AND chat_uuid=?", caller, chat);
                long event = EventLog.userEvent(c, caller, UserEvent.CHAT_UNPINNED, chat, at, Http.object().put("chatUUID", chat));
                out.put("userEventID", event);
                announceToSelf(caller, "user:setting:chat:update", Http.object().put("chatUUID", chat)
                        .put("action", "pin_remove").put("userEventID", event));
            }
            return out;
        });
    }
}
