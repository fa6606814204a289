package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Appends to the three event logs. Ids are taken from the owning row's sequence inside the caller's transaction,
 * under the database lock, so each log is dense and gap-free for every reader.
 */
final class EventLog {
    private EventLog() {}

    static long chatEvent(Connection c, String chatUUID, String type, String actor, String at, ObjectNode payload,
                          Integer subId, Long messageId) throws SQLException {
        update(c, "UPDATE chats SET event_seq = event_seq + 1 WHERE uuid=?", chatUUID);
        long id = queryLong(c, "SELECT event_seq FROM chats WHERE uuid=?", chatUUID);
        update(c, "INSERT INTO chat_events(chat_uuid, id, type, user_uuid, created_at, payload, sub_id, message_id)"
                + " VALUES(?,?,?,?,?,?,?,?)", chatUUID, id, type, actor, at, payload.toString(), subId, messageId);
        return id;
    }

    static long profileEvent(Connection c, String userUUID, String type, String at, ObjectNode payload) throws SQLException {
        update(c, "UPDATE users SET profile_event_seq = profile_event_seq + 1 WHERE uuid=?", userUUID);
        long id = queryLong(c, "SELECT profile_event_seq FROM users WHERE uuid=?", userUUID);
        update(c, "INSERT INTO profile_events(user_uuid, id, type, created_at, payload) VALUES(?,?,?,?,?)",
                userUUID, id, type, at, payload.toString());
        return id;
    }

    static long userEvent(Connection c, String userUUID, String type, String chatUUID, String at, ObjectNode payload)
            throws SQLException {
        update(c, "UPDATE users SET user_event_seq = user_event_seq + 1 WHERE uuid=?", userUUID);
        long id = queryLong(c, "SELECT user_event_seq FROM users WHERE uuid=?", userUUID);
        update(c, "INSERT INTO user_events(user_uuid, id, type, chat_uuid, created_at, payload) VALUES(?,?,?,?,?,?)",
                userUUID, id, type, chatUUID, at, payload.toString());
        return id;
    }
}
