package dev.novyse.server;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.novyse.server.ServerDatabase.queryString;

/** Who may do what in a chat. Every check answers with the refusal the API documents. */
final class Access {
    static final int ROLE_MEMBER = 0;
    static final int ROLE_ADMIN = 1;

    private Access() {}

    record ChatRef(String uuid, String type) {
    }

    static ChatRef chat(Connection c, String chatUUID) throws SQLException {
        String type = queryString(c, "SELECT type FROM chats WHERE uuid=?", chatUUID);
        if (type == null) {
            throw ApiError.notFound("chat not found");
        }
        return new ChatRef(chatUUID, type);
    }

    /** The caller's roles in the chat, or a 404 for an unknown chat and a 403 for a non-member. */
    static String requireMember(Connection c, String chatUUID, String userUUID) throws SQLException {
        chat(c, chatUUID);
        String roles = queryString(c, "SELECT role_ids FROM members WHERE chat_uuid=? AND user_uuid=?", chatUUID, userUUID);
        if (roles == null) {
            throw ApiError.forbidden("you are not a member of this chat");
        }
        return roles;
    }

    /** The chat's current members: the audience of its live events. */
    static java.util.List<String> members(Connection c, String chatUUID) throws SQLException {
        return ServerDatabase.queryStrings(c, "SELECT user_uuid FROM members WHERE chat_uuid=?", chatUUID);
    }

    /** Everyone who shares a chat with {@code userUUID}, the user included: who hears of their profile and presence. */
    static java.util.List<String> contacts(Connection c, String userUUID) throws SQLException {
        return ServerDatabase.queryStrings(c, "SELECT ? UNION SELECT m2.user_uuid FROM members m1"
                + " JOIN members m2 ON m2.chat_uuid = m1.chat_uuid WHERE m1.user_uuid = ?", userUUID, userUUID);
    }

    static boolean isAdmin(String roleIds) {
        return roleIds != null && roleIds.matches(".*\\b" + ROLE_ADMIN + "\\b.*");
    }

    static boolean isAdmin(Connection c, String chatUUID, String userUUID) throws SQLException {
        return isAdmin(queryString(c, "SELECT role_ids FROM members WHERE chat_uuid=? AND user_uuid=?", chatUUID, userUUID));
    }

    static void requireAdmin(Connection c, String chatUUID, String userUUID) throws SQLException {
        if (!isAdmin(requireMember(c, chatUUID, userUUID))) {
            throw ApiError.forbidden("only chat admins may do this");
        }
    }

    static void requireSub(Connection c, String chatUUID, int subId) throws SQLException {
        Long deleted = ServerDatabase.queryLong(c, "SELECT deleted FROM subs WHERE chat_uuid=? AND id=?", chatUUID, subId);
        if (deleted == null || deleted != 0) {
            throw ApiError.notFound("sub " + subId + " not found in this chat");
        }
    }
}
