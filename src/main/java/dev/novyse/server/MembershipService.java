package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.server.Permissions.Right;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Who is in a chat and with which roles: joining by handle, leaving, invites, kicks, bans, the admin role and the
 * hand-over of ownership. Each change is a chat event; membership itself is what gates every later delivery (a
 * removed member is no longer in {@link Access#members}, so nothing more of the chat reaches them live, and their
 * next update lists the chat in {@code chats.removed}).
 */
final class MembershipService {
    private final ServerDatabase db;
    private final Clock clock;

    MembershipService(ServerDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    ObjectNode join(String caller, Body b) {
        String handle = ChatService.normaliseHandle(b.string("handle", 64));
        return db.write(c -> {
            String chat = queryString(c, "SELECT uuid FROM chats WHERE handle=?", handle);
            if (chat == null) {
                throw ApiError.notFound("no chat has the handle '" + handle + "'");
            }
            if (Access.membership(c, Access.chat(c, chat), caller) != null) {
                return ChatService.chatReply(c, chat);
            }
            if (Access.isBanned(c, chat, caller)) {
                throw ApiError.forbidden("you are banned from this chat");
            }
            add(c, chat, caller, null);
            return ChatService.chatReply(c, chat);
        });
    }

    /** {@code POST /chat/invite {chatUUID, userUUIDs}}: adds each user who is not a member yet, as a MEMBER_JOINED. */
    ObjectNode invite(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        Set<String> users = b.uuids("userUUIDs", 100);
        if (users.isEmpty()) {
            throw ApiError.badRequest("field 'userUUIDs' must list at least one user");
        }
        return db.write(c -> {
            Access.Membership me = Access.require(c, chat, caller, Right.INVITE);
            List<String> added = new ArrayList<>();
            for (String user : users) { // every check before the first write
                requireUser(c, user);
                if (Access.isBanned(c, chat, user)) {
                    // by handle: the one who invites knows people by it, not by their uuid
                    String handle = queryString(c, "SELECT username FROM users WHERE uuid=?", user);
                    throw ApiError.conflict("@" + handle + " is banned from this chat; unban them first");
                }
                if (Access.membership(c, me.chat(), user) == null) {
                    added.add(user);
                }
            }
            ObjectNode out = Http.object();
            ArrayNode invited = out.putArray("userUUIDs");
            for (String user : added) {
                out.put("chatEventID", add(c, chat, user, caller));
                invited.add(user);
            }
            return out;
        });
    }

    ObjectNode leave(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        return db.write(c -> {
            Access.Membership me = Access.requireMember(c, chat, caller);
            if (me.chat().isDm()) {
                throw ApiError.forbidden("a DM cannot be left");
            }
            if (me.isOwner() && Access.members(c, chat).size() > 1) {
                throw ApiError.conflict("the owner cannot leave: hand over ownership first (POST /chat/owner)");
            }
            return Http.object().put("chatEventID", remove(c, chat, caller, Http.object()));
        });
    }

    /** {@code POST /chat/kick {chatUUID, userUUID}}: the member leaves with {@code {reason: "kick", by}}; they may rejoin. */
    ObjectNode kick(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String user = b.string("userUUID", 64);
        return db.write(c -> {
            Access.Membership me = Access.require(c, chat, caller, Right.KICK);
            Access.requireOutranked(c, me, user);
            return Http.object().put("chatEventID", remove(c, chat, user, removal("kick", caller)));
        });
    }

    /**
     * {@code PUT /chat/ban {chatUUID, userUUID}}: a member is removed with {@code {reason: "ban", by}}; anyone else is
     * banned ahead ({@code MEMBER_BANNED}). Until unbanned the user can neither join by handle nor be invited.
     */
    ObjectNode ban(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String user = b.string("userUUID", 64);
        return db.write(c -> {
            Access.Membership me = Access.require(c, chat, caller, Right.BAN);
            requireUser(c, user);
            boolean member = Access.membership(c, me.chat(), user) != null;
            if (member) {
                Access.requireOutranked(c, me, user);
            } else if (Access.isBanned(c, chat, user)) {
                return Http.object(); // already banned: a retried ban logs nothing
            }
            String at = Times.iso(clock);
            update(c, "INSERT INTO bans(chat_uuid, user_uuid, banned_by, banned_at) VALUES(?,?,?,?)", chat, user, caller, at);
            if (member) {
                return Http.object().put("chatEventID", remove(c, chat, user, removal("ban", caller)));
            }
            return Http.object().put("chatEventID", banEvent(c, chat, ChatEvent.MEMBER_BANNED, "ban", caller, user, at));
        });
    }

    /** {@code DELETE /chat/ban {chatUUID, userUUID}}: lifts a ban; the user may join or be invited again. */
    ObjectNode unban(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String user = b.string("userUUID", 64);
        return db.write(c -> {
            Access.require(c, chat, caller, Right.BAN);
            if (!Access.isBanned(c, chat, user)) {
                return Http.object();
            }
            update(c, "DELETE FROM bans WHERE chat_uuid=? AND user_uuid=?", chat, user);
            return Http.object().put("chatEventID",
                    banEvent(c, chat, ChatEvent.MEMBER_UNBANNED, "unban", caller, user, Times.iso(clock)));
        });
    }

    /** {@code GET /chat/bans?chatUUID=}: who is banned, for those who may ban. */
    ObjectNode bans(String caller, String chat) {
        return db.read(c -> {
            Access.require(c, chat, caller, Right.BAN);
            ObjectNode out = Http.object();
            ArrayNode list = out.putArray("bans");
            try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT user_uuid, banned_by, banned_at FROM bans"
                    + " WHERE chat_uuid=? ORDER BY banned_at, user_uuid", chat); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.addObject().put("userUUID", rs.getString(1)).put("by", rs.getString(2)).put("bannedAt", rs.getString(3));
                }
            }
            return out;
        });
    }

    /** {@code PUT} / {@code DELETE /chat/admin {chatUUID, userUUID}}: the owner grants or revokes the admin role. */
    ObjectNode setAdmin(String caller, Body b, boolean grant) {
        String chat = b.string("chatUUID", 64);
        String user = b.string("userUUID", 64);
        return db.write(c -> {
            Access.Membership me = Access.require(c, chat, caller, Right.MANAGE_ADMINS);
            Access.Membership target = Access.requireOutranked(c, me, user);
            if (target.roleIds().contains(Permissions.ADMIN) == grant) {
                return Http.object();
            }
            long id = setRoles(c, chat, user, grant ? Permissions.ADMIN_ROLES : Permissions.MEMBER_ROLES, caller);
            return Http.object().put("chatEventID", id);
        });
    }

    /** {@code POST /chat/owner {chatUUID, userUUID}}: the owner hands over to a member and stays an admin. */
    ObjectNode transferOwnership(String caller, Body b) {
        String chat = b.string("chatUUID", 64);
        String user = b.string("userUUID", 64);
        return db.write(c -> {
            Access.Membership me = Access.require(c, chat, caller, Right.TRANSFER_OWNERSHIP);
            if (user.equals(caller)) {
                return Http.object();
            }
            if (Access.membership(c, me.chat(), user) == null) {
                throw ApiError.notFound("user " + user + " is not a member of this chat");
            }
            setRoles(c, chat, user, Permissions.OWNER_ROLES, caller);
            return Http.object().put("chatEventID", setRoles(c, chat, caller, Permissions.ADMIN_ROLES, caller));
        });
    }

    // ---- the writes each change shares ------------------------------------------------------------------

    private static void requireUser(Connection c, String user) throws SQLException {
        if (queryString(c, "SELECT uuid FROM users WHERE uuid=?", user) == null) {
            throw ApiError.notFound("user " + user + " not found");
        }
    }

    private static ObjectNode removal(String reason, String by) {
        return Http.object().put("reason", reason).put("by", by);
    }

    /**
     * Adds a member with the member role: a MEMBER_JOINED whose actor is the new member, as the public client reads
     * it ({@code by}: who invited them; absent for a join by handle). The others hear {@code chat:member:joined}, the
     * new member {@code chat:new}.
     */
    private long add(Connection c, String chat, String user, String by) throws SQLException {
        String at = Times.iso(clock);
        update(c, "INSERT INTO members(chat_uuid, user_uuid, role_ids, joined_at) VALUES(?,?,?,?)",
                chat, user, Permissions.MEMBER_ROLES, at);
        ObjectNode payload = Http.object();
        payload.putArray("roleIDs").add(Permissions.MEMBER);
        if (by != null) {
            payload.put("by", by);
        }
        long event = EventLog.chatEvent(c, chat, ChatEvent.MEMBER_JOINED, user, at, payload, null, null);
        ObjectNode joined = Http.object().put("chatEventID", event);
        joined.putObject("chat").put("uuid", chat);
        joined.set("user", Json.mapper().valueToTree(EntityReader.user(c, user)));
        joined.set("roleIDs", payload.get("roleIDs"));
        if (by != null) {
            joined.put("by", by);
        }
        List<String> others = new ArrayList<>(Access.members(c, chat));
        others.remove(user);
        ObjectNode reply = ChatService.chatReply(c, chat);
        db.announce(Announcement.inChat(chat, others, "chat:member:joined", joined));
        db.announce(Announcement.inChat(chat, List.of(user), "chat:new", reply));
        return event;
    }

    /**
     * Ends a membership: a MEMBER_LEFT whose actor is the member who is gone ({@code payload}: empty for a leave,
     * {@code {reason, by}} for a kick or a ban). Their chat pins and favourites of the chat go with it, as their
     * client drops the chat. The remaining members and the removed one hear {@code chat:member:left}; after that
     * nothing of the chat reaches the removed one.
     */
    private long remove(Connection c, String chat, String user, ObjectNode payload) throws SQLException {
        update(c, "DELETE FROM members WHERE chat_uuid=? AND user_uuid=?", chat, user);
        update(c, "DELETE FROM chat_pins WHERE chat_uuid=? AND user_uuid=?", chat, user);
        // Favourites die with the membership, as chat pins do: the removed client drops the chat and them, so
        // keeping them would hand them back to a fresh initialize (and to the client after a re-join).
        update(c, "DELETE FROM favorites WHERE chat_uuid=? AND user_uuid=?", chat, user);
        if (payload.has("by")) {
            payload.put("userUUID", user);
        }
        long id = EventLog.chatEvent(c, chat, ChatEvent.MEMBER_LEFT, user, Times.iso(clock), payload, null, null);
        ObjectNode left = Http.object().put("chatUUID", chat).put("chatEventID", id);
        left.putObject("user").put("uuid", user);
        left.setAll(payload);
        List<String> to = new ArrayList<>(Access.members(c, chat));
        to.add(user);
        db.announce(Announcement.inChat(chat, to, "chat:member:left", left));
        return id;
    }

    private long banEvent(Connection c, String chat, String type, String action, String by, String user, String at)
            throws SQLException {
        ObjectNode payload = Http.object().put("userUUID", user).put("by", by);
        long id = EventLog.chatEvent(c, chat, type, by, at, payload, null, null);
        ChatService.announceChatUpdate(db, c, chat, action, id, payload);
        return id;
    }

    /** A member's new roles, as a MEMBER_ROLES_CHANGED by {@code by}; returns the event id. */
    private long setRoles(Connection c, String chat, String user, String roleIds, String by) throws SQLException {
        update(c, "UPDATE members SET role_ids=? WHERE chat_uuid=? AND user_uuid=?", roleIds, chat, user);
        ObjectNode payload = Http.object().put("userUUID", user);
        payload.set("roleIDs", Json.mapper().valueToTree(EntityReader.roleIds(roleIds)));
        long id = EventLog.chatEvent(c, chat, ChatEvent.MEMBER_ROLES_CHANGED, by, Times.iso(clock), payload, null, null);
        ChatService.announceChatUpdate(db, c, chat, "roles", id, payload.deepCopy().put("by", by));
        return id;
    }
}
