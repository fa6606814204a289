package dev.novyse.server;

import dev.novyse.server.Permissions.Right;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static dev.novyse.server.ServerDatabase.queryString;

/**
 * Who may do what in a chat: the one place the permission table ({@link Permissions}) is enforced. Every check
 * answers with the refusal the API documents: 404 for an unknown chat, 403 for a non-member or a missing right.
 */
final class Access {
    private Access() {}

    record ChatRef(String uuid, String type) {
        boolean isDm() {
            return "DM".equals(type);
        }
    }

    /** A member of a chat with their roles: what they may do there. */
    record Membership(ChatRef chat, String user, List<Integer> roleIds) {
        boolean has(Right right) {
            return Permissions.rights(chat.type(), roleIds).contains(right);
        }

        int level() {
            return Permissions.level(roleIds);
        }

        boolean isOwner() {
            return roleIds.contains(Permissions.OWNER);
        }
    }

    static ChatRef chat(Connection c, String chatUUID) throws SQLException {
        String type = queryString(c, "SELECT type FROM chats WHERE uuid=?", chatUUID);
        if (type == null) {
            throw ApiError.notFound("chat not found");
        }
        return new ChatRef(chatUUID, type);
    }

    /** The user's membership, or null when they are not a member of the (existing) chat. */
    static Membership membership(Connection c, ChatRef chat, String userUUID) throws SQLException {
        String roles = queryString(c, "SELECT role_ids FROM members WHERE chat_uuid=? AND user_uuid=?", chat.uuid(), userUUID);
        return roles == null ? null : new Membership(chat, userUUID, EntityReader.roleIds(roles));
    }

    /** The caller's membership, or a 404 for an unknown chat and a 403 for a non-member (a removed or banned one too). */
    static Membership requireMember(Connection c, String chatUUID, String userUUID) throws SQLException {
        Membership m = membership(c, chat(c, chatUUID), userUUID);
        if (m == null) {
            throw ApiError.forbidden("you are not a member of this chat");
        }
        return m;
    }

    /** The caller's membership if their roles grant {@code right} in this chat; a 403 naming the right otherwise. */
    static Membership require(Connection c, String chatUUID, String userUUID, Right right) throws SQLException {
        Membership m = requireMember(c, chatUUID, userUUID);
        require(m, right);
        return m;
    }

    static void require(Membership m, Right right) {
        if (!m.has(right)) {
            throw ApiError.forbidden(m.chat().isDm() ? "a DM does not let anyone " + right.doing
                    : "your role in this chat does not let you " + right.doing);
        }
    }

    /**
     * The target's membership, checked for a kick, a ban or a role change by {@code actor}: a 404 when the target is
     * not a member, a 403 unless the actor's level is above the target's (so nobody acts on the owner, nor on
     * themselves, and admins not on each other).
     */
    static Membership requireOutranked(Connection c, Membership actor, String targetUUID) throws SQLException {
        Membership target = membership(c, actor.chat(), targetUUID);
        if (target == null) {
            throw ApiError.notFound("user " + targetUUID + " is not a member of this chat");
        }
        if (target.level() >= actor.level()) {
            throw ApiError.forbidden("you may act only on members whose role is below yours");
        }
        return target;
    }

    static boolean isBanned(Connection c, String chatUUID, String userUUID) throws SQLException {
        return queryString(c, "SELECT user_uuid FROM bans WHERE chat_uuid=? AND user_uuid=?", chatUUID, userUUID) != null;
    }

    /** The chat's current members: the audience of its live events. */
    static List<String> members(Connection c, String chatUUID) throws SQLException {
        return ServerDatabase.queryStrings(c, "SELECT user_uuid FROM members WHERE chat_uuid=?", chatUUID);
    }

    /** Everyone who shares a chat with {@code userUUID}, the user included: who hears of their profile and presence. */
    static List<String> contacts(Connection c, String userUUID) throws SQLException {
        return ServerDatabase.queryStrings(c, "SELECT ? UNION SELECT m2.user_uuid FROM members m1"
                + " JOIN members m2 ON m2.chat_uuid = m1.chat_uuid WHERE m1.user_uuid = ?", userUUID, userUUID);
    }

    /** Whether the user is a chat admin (the owner is one too): who gets every edit of every message. */
    static boolean isAdmin(Connection c, String chatUUID, String userUUID) throws SQLException {
        String roles = queryString(c, "SELECT role_ids FROM members WHERE chat_uuid=? AND user_uuid=?", chatUUID, userUUID);
        return roles != null && EntityReader.roleIds(roles).contains(Permissions.ADMIN);
    }

    static void requireSub(Connection c, String chatUUID, int subId) throws SQLException {
        Long deleted = ServerDatabase.queryLong(c, "SELECT deleted FROM subs WHERE chat_uuid=? AND id=?", chatUUID, subId);
        if (deleted == null || deleted != 0) {
            throw ApiError.notFound("sub " + subId + " not found in this chat");
        }
    }
}
