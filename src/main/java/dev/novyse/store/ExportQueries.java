package dev.novyse.store;

/**
 * The SQL both exporters walk: the message rows and the side tables (reactions, files, first reply) in the same key
 * order, so they can be merged row by row. One place, so the JSON Lines fast path and the generic writers can never
 * disagree on what an export contains.
 */
final class ExportQueries {
    private ExportQueries() {}

    static final String CHAT_NAMES = "SELECT uuid, name FROM chat";
    static final String USER_NAMES = "SELECT uuid, NULLIF(TRIM(name || COALESCE(' ' || surname, '')), '') FROM user";

    static String messages(String chatUUID, String since) {
        return "SELECT chatUUID, subID, id, senderUUID, created_at, content, edited, deleted FROM message"
                + (chatUUID == null ? "" : " WHERE chatUUID = ?")
                + (since == null ? "" : (chatUUID == null ? " WHERE" : " AND") + " created_at >= ?")
                + " ORDER BY chatUUID, subID, id";
    }

    static String reactions(String chatUUID) {
        return "SELECT chatUUID, subID, messageID, reaction, userUUID FROM reaction_message"
                + (chatUUID == null ? "" : " WHERE chatUUID = ?") + " ORDER BY chatUUID, subID, messageID, userUUID, reaction";
    }

    static String files(String chatUUID) {
        return "SELECT mf.chatUUID, mf.subID, mf.messageID, f.name, mf.position"
                + " FROM message_files mf LEFT JOIN file f ON f.uuid = mf.fileUUID"
                + (chatUUID == null ? "" : " WHERE mf.chatUUID = ?")
                + " ORDER BY mf.chatUUID, mf.subID, mf.messageID, mf.fileUUID";
    }

    static String replies(String chatUUID) {
        return "SELECT chatUUID, subID, messageID, replyTo_chatUUID, replyTo_subID,"
                + " replyTo_messageID FROM message_reply WHERE position = 0"
                + (chatUUID == null ? "" : " AND chatUUID = ?")
                + " ORDER BY chatUUID, subID, messageID, position";
    }
}
