package dev.novyse.store;

import dev.novyse.protocol.Message;
import dev.novyse.protocol.ReplyTo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
                replyTo == null ? null : replyTo.messageID(), Instant.now().toString());
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

    List<PendingMessage> list(Connection conn, OutboxState state) {
        String where = state == null ? "" : " WHERE pm.state = ?";
        Map<Long, PendingMessage> byId = new LinkedHashMap<>();
        Map<Long, List<PendingMessage.PendingFile>> files = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT pm.id, pm.tempId, pm.chatUUID, pm.subID, pm.content,"
                + " pm.replyTo_chatUUID, pm.replyTo_subID, pm.replyTo_messageID, pm.created_at, pm.attempts,"
                + " pm.last_error, pm.state, pm.server_message_id FROM pending_message pm" + where + " ORDER BY pm.id")) {
            if (state != null) ps.setString(1, state.name());
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
                    if (state != null) fs.setString(1, state.name());
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
