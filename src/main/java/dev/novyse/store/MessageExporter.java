package dev.novyse.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams messages for export from one forward-only query in primary-key order. Reactions and file names are
 * aggregated by SQLite per row (index seeks on the child tables' primary keys), never collected in Java.
 */
final class MessageExporter {
    private MessageExporter() {}

    static long export(Connection conn, String chatUUID, String since, ExportSink sink) throws IOException {
        StringBuilder sql = new StringBuilder("""
                SELECT m.chatUUID, c.name, m.subID, m.id, m.senderUUID,
                  NULLIF(TRIM(u.name || COALESCE(' ' || u.surname, '')), ''),
                  m.created_at, m.content, m.edited, m.deleted,
                  r.replyTo_chatUUID, r.replyTo_subID, r.replyTo_messageID,
                  (SELECT json_group_array(json_object('reaction', x.reaction, 'userUUID', x.userUUID))
                     FROM reaction_message x WHERE x.chatUUID = m.chatUUID AND x.subID = m.subID AND x.messageID = m.id),
                  (SELECT json_group_array(f.name ORDER BY mf.position)
                     FROM message_files mf JOIN file f ON f.uuid = mf.fileUUID
                     WHERE mf.chatUUID = m.chatUUID AND mf.subID = m.subID AND mf.messageID = m.id)
                FROM message m
                JOIN chat c ON c.uuid = m.chatUUID
                LEFT JOIN user u ON u.uuid = m.senderUUID
                LEFT JOIN message_reply r ON r.chatUUID = m.chatUUID AND r.subID = m.subID AND r.messageID = m.id
                  AND r.position = 0
                """);
        List<Object> args = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (chatUUID != null) {
            where.add("m.chatUUID = ?");
            args.add(chatUUID);
        }
        if (since != null) {
            where.add("m.created_at >= ?");
            args.add(since);
        }
        if (!where.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", where));
        sql.append(" ORDER BY m.chatUUID, m.subID, m.id");
        long n = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            Tx.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String reactions = rs.getString(14);
                    String files = rs.getString(15);
                    sink.accept(new ExportRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9) == 1,
                            rs.getInt(10) == 1, rs.getString(11), ViewQueries.intOrNull(rs, 12),
                            ViewQueries.longOrNull(rs, 13), "[]".equals(reactions) ? null : reactions,
                            "[]".equals(files) ? null : files));
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
        return n;
    }
}
