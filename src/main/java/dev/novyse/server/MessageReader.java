package dev.novyse.server;

import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.Read;
import dev.novyse.protocol.ReplyTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Message} records with their current state. Child rows (files, replies, reactions, pins, reads)
 * are loaded per id range with one query each, never one query per message: replies carry thousands of messages.
 */
final class MessageReader {
    private MessageReader() {}

    private record Row(long id, String sender, String content, String type, String systemAction, String createdAt,
                       boolean edited, boolean deleted, String tempId) {
    }

    private record Pin(String at, String by) {
    }

    /** Messages of one (chat, sub) with {@code id > afterId}, ascending, at most {@code limit}. */
    static List<Message> after(Connection c, String chat, int sub, long afterId, int limit, String viewer) throws SQLException {
        return load(c, chat, sub, "id > ? ORDER BY id ASC LIMIT ?", new Object[]{afterId, limit}, viewer, false);
    }

    /** The newest {@code limit} messages of one (chat, sub) with {@code id < beforeId}, returned ascending. */
    static List<Message> before(Connection c, String chat, int sub, long beforeId, int limit, String viewer) throws SQLException {
        return load(c, chat, sub, "id < ? ORDER BY id DESC LIMIT ?", new Object[]{beforeId, limit}, viewer, true);
    }

    static Message one(Connection c, String chat, int sub, long id, String viewer) throws SQLException {
        List<Message> list = load(c, chat, sub, "id = ?", new Object[]{id}, viewer, false);
        return list.isEmpty() ? null : list.get(0);
    }

    private static List<Message> load(Connection c, String chat, int sub, String where, Object[] args, String viewer,
                                      boolean reverse) throws SQLException {
        List<Row> rows = new ArrayList<>();
        Object[] all = new Object[args.length + 2];
        all[0] = chat;
        all[1] = sub;
        System.arraycopy(args, 0, all, 2, args.length);
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT id, sender_uuid, content, type, system_action, created_at, edited, deleted, temp_id"
                        + " FROM messages WHERE chat_uuid=? AND sub_id=? AND " + where, all);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7) != 0, rs.getInt(8) != 0, rs.getString(9)));
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        if (reverse) {
            java.util.Collections.reverse(rows);
        }
        long lo = rows.get(0).id();
        long hi = rows.get(rows.size() - 1).id();
        Map<Long, List<FileRef>> files = new HashMap<>();
        Map<Long, List<ReplyTo>> replies = new HashMap<>();
        Map<Long, List<Reaction>> reactions = new HashMap<>();
        Map<Long, List<Read>> reads = new HashMap<>();
        Map<Long, Pin> pins = new HashMap<>();
        Object[] range = {chat, sub, lo, hi};
        String inRange = " WHERE chat_uuid=? AND sub_id=? AND message_id BETWEEN ? AND ?";
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT message_id, file_uuid, name, mime_type, size, duration FROM message_files" + inRange
                        + " ORDER BY message_id, seq", range); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Double duration = rs.getObject(6) == null ? null : rs.getDouble(6);
                Long size = rs.getObject(5) == null ? null : rs.getLong(5);
                files.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new FileRef(rs.getString(2),
                        rs.getString(3), rs.getString(4), size, null, duration, null));
            }
        }
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT message_id, reply_chat_uuid, reply_sub_id, reply_message_id, range_start, range_end"
                        + " FROM message_replies" + inRange + " ORDER BY message_id, seq", range);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                replies.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ReplyTo(rs.getString(2),
                        rs.getInt(3), rs.getLong(4), ServerDatabase.intOrNull(rs, 5), ServerDatabase.intOrNull(rs, 6)));
            }
        }
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT message_id, user_uuid, reaction, created_at FROM reactions" + inRange
                        + " ORDER BY message_id, created_at, user_uuid, reaction", range);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reactions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Reaction(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT message_id, user_uuid, read_at FROM reads" + inRange + " ORDER BY message_id, user_uuid", range);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reads.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Read(rs.getString(2), rs.getString(3)));
            }
        }
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT message_id, pinned_at, pinned_by FROM pins" + inRange, range); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pins.put(rs.getLong(1), new Pin(rs.getString(2), rs.getString(3)));
            }
        }
        List<Message> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String tempId = r.tempId() != null && viewer != null && viewer.equals(r.sender()) ? r.tempId() : null;
            List<Read> readList = of(reads, r.id());
            if (r.deleted()) {
                out.add(new Message(r.id(), chat, sub, r.sender(), null, r.type(), null, r.createdAt(), null, null,
                        null, null, null, null, readList.isEmpty() ? null : readList, null, true, tempId));
                continue;
            }
            Pin pin = pins.isEmpty() ? null : pins.get(r.id());
            out.add(new Message(r.id(), chat, sub, r.sender(), r.content(), r.type(), r.systemAction(), r.createdAt(),
                    r.edited(), pin != null, pin == null ? null : pin.at(), pin == null ? null : pin.by(),
                    of(replies, r.id()), of(files, r.id()), readList, of(reactions, r.id()), null, tempId));
        }
        return out;
    }

    /** A message's child rows; most pages have none of a kind, and then no id is boxed to look them up. */
    private static <T> List<T> of(Map<Long, List<T>> byMessage, long id) {
        return byMessage.isEmpty() ? List.of() : byMessage.getOrDefault(id, List.of());
    }
}
