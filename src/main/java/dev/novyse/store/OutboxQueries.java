package dev.novyse.store;

import dev.novyse.protocol.Message;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.protocol.Timestamps;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The outbox tables: unsent messages live here, never in {@code message} (docs/architecture.md#invariant-5). */
final class OutboxQueries {

    String enqueue(Tx tx, String chatUUID, int subID, String content, ReplyTo replyTo, List<OutgoingFile> files) {
        if (chatUUID == null) throw new StoreException("cannot queue a message without a chat");
        String tempId = UUID.randomUUID().toString();
        tx.update("INSERT INTO pending_message(tempId, chatUUID, subID, content, replyTo_chatUUID, replyTo_subID,"
                        + " replyTo_messageID, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                tempId, chatUUID, subID, content,
                replyTo == null ? null : (replyTo.chatUUID() == null ? chatUUID : replyTo.chatUUID()),
                replyTo == null ? null : (replyTo.subID() == null ? subID : replyTo.subID()),
                replyTo == null ? null : replyTo.messageID(), Timestamps.now());
        long id = tx.queryLong("SELECT id FROM pending_message WHERE tempId = ?", -1, tempId);
        if (files != null) {
            for (OutgoingFile f : files) {
                tx.update("INSERT INTO pending_file(pending_message_id, path, name, mimeType, size) VALUES (?, ?, ?, ?, ?)",
                        id, f.path().toAbsolutePath().toString(), f.name(), f.mimeType(), f.size());
            }
        }
        return tempId;
    }

    boolean acknowledge(Tx tx, String tempId, Message m) {
        if (m == null || m.chatUUID() == null) throw new StoreException("bad reply: the sent message has no chat");
        StoreWriter w = new StoreWriter(tx);
        long cursor = w.maxMessageId(m.chatUUID(), m.subID());
        boolean known = w.messageState(m.chatUUID(), m.subID(), m.id()) >= 0;
        if (!known && m.id() > cursor + 1) {
            tx.update("UPDATE pending_message SET state = ?, server_message_id = ? WHERE tempId = ?",
                    OutboxState.SENT.name(), m.id(), tempId);
            return false;
        }
        tx.update("DELETE FROM pending_message WHERE tempId = ?", tempId);
        w.upsertMessage(m);
        return true;
    }

    /** Queues a reaction; an earlier queued toggle of the same emoji on the same message is replaced. */
    static void queueReaction(Tx tx, String chatUUID, int subID, long messageID, String emoji, boolean adding) {
        tx.update("DELETE FROM pending_reaction WHERE chatUUID = ? AND subID = ? AND messageID = ? AND emoji = ?",
                chatUUID, subID, messageID, emoji);
        tx.update("INSERT INTO pending_reaction(chatUUID, subID, messageID, emoji, adding, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", chatUUID, subID, messageID, emoji, adding ? 1 : 0, Timestamps.now());
    }

    List<PendingReaction> reactions(ViewQueries views) {
        return views.query("SELECT id, chatUUID, subID, messageID, emoji, adding, created_at, attempts, last_error"
                        + " FROM pending_reaction ORDER BY id",
                rs -> new PendingReaction(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                        rs.getInt(6) == 1, rs.getString(7), rs.getInt(8), rs.getString(9)));
    }

    List<PendingMessage> list(Connection conn, OutboxState state) {
        return state == null ? list(conn, "", null) : list(conn, " WHERE pm.state = ?", state.name());
    }

    /** The one entry with row id {@code id} (an empty list when there is none): a salvage reads row by row. */
    List<PendingMessage> one(Connection conn, long id) {
        return list(conn, " WHERE pm.id = ?", id);
    }

    /** The row ids of every entry, oldest first. */
    List<Long> ids(Connection conn) {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM pending_message ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getLong(1));
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        }
        return ids;
    }

    /**
     * Puts an entry read from another store into this one as it was: the same tempId (so a server that already has
     * it answers with that message instead of storing a second: docs/architecture.md#invariant-5), text, reply,
     * time, attempts and error. A FAILED entry stays FAILED; any other is PENDING (a SENT one is posted again and the
     * server answers with the message it holds). Its files are uploaded from the start.
     */
    void requeue(Tx tx, PendingMessage p) {
        OutboxState state = p.state() == OutboxState.FAILED ? OutboxState.FAILED : OutboxState.PENDING;
        ReplyTo r = p.replyTo();
        tx.update("INSERT INTO pending_message(tempId, chatUUID, subID, content, replyTo_chatUUID, replyTo_subID,"
                        + " replyTo_messageID, created_at, attempts, last_error, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p.tempId(), p.chatUUID(), p.subID(), p.content(), r == null ? null : r.chatUUID(),
                r == null ? null : r.subID(), r == null ? null : r.messageID(),
                p.createdAt() == null ? Timestamps.now() : p.createdAt(), p.attempts(), p.lastError(),
                state.name());
        long id = tx.queryLong("SELECT id FROM pending_message WHERE tempId = ?", -1, p.tempId());
        for (PendingMessage.PendingFile f : p.files()) {
            tx.update("INSERT INTO pending_file(pending_message_id, path, name, mimeType, size) VALUES (?, ?, ?, ?, ?)",
                    id, f.path().toString(), f.name(), f.mimeType(), f.size());
        }
    }

    private List<PendingMessage> list(Connection conn, String where, Object arg) {
        Map<Long, PendingMessage> byId = new LinkedHashMap<>();
        Map<Long, List<PendingMessage.PendingFile>> files = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT pm.id, pm.tempId, pm.chatUUID, pm.subID, pm.content,"
                + " pm.replyTo_chatUUID, pm.replyTo_subID, pm.replyTo_messageID, pm.created_at, pm.attempts,"
                + " pm.last_error, pm.state, pm.server_message_id FROM pending_message pm" + where + " ORDER BY pm.id")) {
            if (arg != null) ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    ReplyTo reply = rs.getObject(8) == null ? null
                            : new ReplyTo(rs.getString(6), rs.getInt(7), rs.getLong(8), null, null);
                    List<PendingMessage.PendingFile> fl = new ArrayList<>();
                    files.put(id, fl);
                    byId.put(id, new PendingMessage(id, rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), reply, rs.getString(9), rs.getInt(10), rs.getString(11),
                            OutboxState.valueOf(rs.getString(12)), Columns.longOrNull(rs, 13), fl));
                }
            }
            if (!byId.isEmpty()) {
                try (PreparedStatement fs = conn.prepareStatement("SELECT pf.id, pf.pending_message_id, pf.path, pf.name,"
                        + " pf.mimeType, pf.size, pf.uploaded, pf.state FROM pending_file pf"
                        + " JOIN pending_message pm ON pm.id = pf.pending_message_id" + where + " ORDER BY pf.id")) {
                    if (arg != null) fs.setObject(1, arg);
                    try (ResultSet rs = fs.executeQuery()) {
                        while (rs.next()) {
                            List<PendingMessage.PendingFile> fl = files.get(rs.getLong(2));
                            if (fl != null) {
                                fl.add(new PendingMessage.PendingFile(rs.getLong(1), Path.of(rs.getString(3)),
                                        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                                        OutboxState.valueOf(rs.getString(8))));
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        }
        List<PendingMessage> out = new ArrayList<>();
        for (PendingMessage p : byId.values()) {
            out.add(new PendingMessage(p.id(), p.tempId(), p.chatUUID(), p.subID(), p.content(), p.replyTo(),
                    p.createdAt(), p.attempts(), p.lastError(), p.state(), p.serverMessageId(),
                    List.copyOf(files.get(p.id()))));
        }
        return out;
    }
}
