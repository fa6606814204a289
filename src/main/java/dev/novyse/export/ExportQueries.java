package dev.novyse.export;

import dev.novyse.store.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL both exporters walk: the message rows and the side tables (reactions, files, first reply) in the same key
 * order, so they can be merged row by row. One place, so the JSON Lines fast path and the generic writers can never
 * disagree on what an export contains. With {@code oneChat}, the side-table queries take the chat's uuid as their one
 * parameter. The reply's sub and message id are nullable columns: {@link Columns} reads them.
 */
final class ExportQueries {
    private ExportQueries() {}

    static final String CHAT_NAMES = "SELECT uuid, name FROM chat";
    /**
     * Each chat as people call it, for the transcript: its name, or (a DM has none) the other member's display name,
     * as the chat list titles it. {@link #CHAT_NAMES} stays the contract's {@code chatName}, null for a DM.
     */
    static final String CHAT_TITLES = "SELECT c.uuid, COALESCE(c.name, (SELECT NULLIF(TRIM(u.name || COALESCE(' ' ||"
            + " u.surname, '')), '') FROM member mb JOIN user u ON u.uuid = mb.userUUID WHERE mb.chatUUID = c.uuid"
            + " AND mb.userUUID IS NOT (SELECT value FROM sync_state WHERE key = '"
            + dev.novyse.store.StoreWriter.ACCOUNT_USER_UUID + "') ORDER BY mb.userUUID LIMIT 1)) FROM chat c";
    /** The chats that have messages, one index seek each: the first, then the next after the bound one. */
    static final String FIRST_CHAT = "SELECT MIN(chatUUID) FROM message";
    static final String NEXT_CHAT = "SELECT MIN(chatUUID) FROM message WHERE chatUUID > CAST(? AS TEXT)";
    /** Each named forum sub, keyed "chatUUID subID". */
    static final String SUB_NAMES = "SELECT chatUUID || ' ' || id, name FROM chat_sub WHERE id <> 0 AND name IS NOT NULL";
    static final String USER_NAMES = "SELECT uuid, NULLIF(TRIM(name || COALESCE(' ' || surname, '')), '') FROM user";

    /**
     * Parameters: the chat's uuid if {@code oneChat}, then the created_at lower bound if {@code since}. The uuid is
     * cast to TEXT so that it may be bound as the stored bytes, which match even when they are not well-formed
     * UTF-8 (a String would not survive the round trip).
     */
    static String messages(boolean oneChat, boolean since) {
        return "SELECT chatUUID, subID, id, senderUUID, created_at, content, edited, deleted FROM message"
                + (oneChat ? " WHERE chatUUID = CAST(? AS TEXT)" : "")
                + (since ? (oneChat ? " AND" : " WHERE") + " created_at >= ?" : "")
                + " ORDER BY chatUUID, subID, id";
    }

    static String reactions(boolean oneChat) {
        return "SELECT chatUUID, subID, messageID, reaction, userUUID FROM reaction_message"
                + (oneChat ? " WHERE chatUUID = CAST(? AS TEXT)" : "") + " ORDER BY chatUUID, subID, messageID, userUUID, reaction";
    }

    static String files(boolean oneChat) {
        return "SELECT mf.chatUUID, mf.subID, mf.messageID, f.name, mf.position"
                + " FROM message_files mf LEFT JOIN file f ON f.uuid = mf.fileUUID"
                + (oneChat ? " WHERE mf.chatUUID = CAST(? AS TEXT)" : "")
                + " ORDER BY mf.chatUUID, mf.subID, mf.messageID, mf.fileUUID";
    }

    static String replies(boolean oneChat) {
        return "SELECT chatUUID, subID, messageID, replyTo_chatUUID, replyTo_subID,"
                + " replyTo_messageID FROM message_reply WHERE position = 0"
                + (oneChat ? " AND chatUUID = CAST(? AS TEXT)" : "")
                + " ORDER BY chatUUID, subID, messageID, position";
    }


}
