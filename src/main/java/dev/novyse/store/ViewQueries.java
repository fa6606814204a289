package dev.novyse.store;

import dev.novyse.protocol.Role;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.protocol.User;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The read side: windowed queries that build view records. Callers hold the database lock. */
final class ViewQueries {
    /** Display name of a user row aliased {@code u}: "name surname", trimmed; null when the user is unknown. */
    private static final String NAME = "NULLIF(TRIM(%1$s.name || COALESCE(' ' || %1$s.surname, '')), '')";

    private final Connection conn;

    ViewQueries(Connection conn) {
        this.conn = conn;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            Tx.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        }
    }

    long longValue(String sql, long whenNull, Object... args) {
        List<Long> v = query(sql, rs -> rs.getObject(1) == null ? null : rs.getLong(1), args);
        return v.isEmpty() || v.get(0) == null ? whenNull : v.get(0);
    }



    Optional<String> accountUserUUID() {
        List<String> v = query("SELECT value FROM sync_state WHERE key = ?", rs -> rs.getString(1),
                StoreWriter.ACCOUNT_USER_UUID);
        return v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    private String me() {
        return accountUserUUID().orElse("");
    }

    /** The account's own handle, for mention counts; empty before the first sync stored its profile. */
    Optional<String> myHandle() {
        List<String> v = query("SELECT u.handle FROM user u JOIN sync_state s ON s.key = ? AND s.value = u.uuid",
                rs -> rs.getString(1), StoreWriter.ACCOUNT_USER_UUID);
        return v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    Map<String, Long> skippedCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object[] r : query("SELECT key, value FROM sync_state WHERE key LIKE ? ORDER BY key",
                rs -> new Object[]{rs.getString(1), rs.getLong(2)}, StoreWriter.SKIPPED_PREFIX + "%")) {
            out.put(((String) r[0]).substring(StoreWriter.SKIPPED_PREFIX.length()), (Long) r[1]);
        }
        return out;
    }

    // ---- cursors ----------------------------------------------------------------------------------------

    /**
     * Every (chat, sub) with messages and its largest id, by index seeks: the next sub of a chat is the smallest
     * subID above the last one, and its cursor the MAX(id) under that (chat, sub) prefix of the primary key. A
     * {@code GROUP BY chatUUID, subID} read the whole key instead, 1M entries on a 1M-message store, about a tenth of
     * every sync's time there (docs/benchmarks.md). Walks {@code chat}, which every message references; not
     * {@code chat_sub}, which a chat's list of subs may have emptied of a sub whose messages are still stored.
     */
    private static final String SUB_CURSORS = """
            WITH RECURSIVE s(chatUUID, subID) AS (
              SELECT c.uuid, (SELECT MIN(subID) FROM message WHERE chatUUID = c.uuid) FROM chat c
              UNION ALL
              SELECT s.chatUUID, (SELECT MIN(subID) FROM message WHERE chatUUID = s.chatUUID AND subID > s.subID)
              FROM s WHERE s.subID IS NOT NULL)
            SELECT chatUUID, subID, (SELECT MAX(id) FROM message WHERE chatUUID = s.chatUUID AND subID = s.subID)
            FROM s WHERE subID IS NOT NULL""";

    UpdateRequest updateRequest() {
        Map<String, List<UpdateRequest.SubCursor>> subs = new HashMap<>();
        for (Object[] r : query(SUB_CURSORS,
                rs -> new Object[]{rs.getString(1), rs.getInt(2), rs.getLong(3)})) {
            subs.computeIfAbsent((String) r[0], k -> new ArrayList<>())
                    .add(new UpdateRequest.SubCursor((Integer) r[1], (Long) r[2]));
        }
        List<UpdateRequest.ChatCursor> chats = query("SELECT uuid, eventID FROM chat ORDER BY uuid",
                rs -> new UpdateRequest.ChatCursor(rs.getString(1), rs.getLong(2),
                        List.copyOf(subs.getOrDefault(rs.getString(1), List.of()))));
        List<UpdateRequest.UserCursor> users = query("SELECT uuid, profileEventID FROM user ORDER BY uuid",
                rs -> new UpdateRequest.UserCursor(rs.getString(1), rs.getLong(2)));
        long local = longValue("SELECT value FROM sync_state WHERE key = ?", 0, StoreWriter.LOCAL_EVENT_ID);
        return new UpdateRequest(new UpdateRequest.Local(local), chats, users);
    }

    List<UpdateRequest.SubCursor> subCursors(String chatUUID) {
        return query("SELECT subID, MAX(id) FROM message WHERE chatUUID = ? GROUP BY subID ORDER BY subID",
                rs -> new UpdateRequest.SubCursor(rs.getInt(1), rs.getLong(2)), chatUUID);
    }

    // ---- chat list --------------------------------------------------------------------------------------

    /**
     * Chat summaries, pinned first. The last message is the newest of each sub's newest message; the unread
     * count walks each sub from the account's watermark on the primary key, so it costs the unread rows only.
     * {@code recount}: the chats whose unread and mention counts are counted; the others get -1 for both (the
     * caller keeps what it counted before). Null counts every chat.
     */
    List<ChatSummary> chats(String where, Object[] whereArgs, int limit, java.util.Collection<String> recount) {
        String me = me();
        String sql = chatsSql(where, recount == null ? -1 : recount.size());
        String mention = myHandle().map(h -> "@" + h.toLowerCase(java.util.Locale.ROOT)).orElse("");
        List<Object> args = new ArrayList<>(List.of(me));
        if (recount != null) args.addAll(recount);
        args.addAll(List.of(me, me));
        if (recount != null) args.addAll(recount);
        args.addAll(List.of(me, me, mention, mention));
        if (whereArgs != null) Collections.addAll(args, whereArgs);
        args.add(limit);
        return query(sql, rs -> new ChatSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), Columns.intOrNull(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getInt(10) == 1, rs.getInt(11), rs.getLong(12), rs.getInt(13)), args.toArray());
    }

    /**
     * The chat list with unread and mention counts in its first {@code counted} rows only; the others get -1 for
     * both. Counting every chat's unread messages was most of the chat screen's first frame with 1M messages
     * (135–205 ms of about 600, TuiBenchmark), while a screen shows a few dozen rows.
     */
    List<ChatSummary> chatsCountingFirst(int limit, int counted) {
        List<ChatSummary> order = chats(null, null, limit, Set.of());
        if (order.size() <= counted) return chats(null, null, limit);
        Set<String> first = new HashSet<>();
        for (ChatSummary c : order.subList(0, counted)) first.add(c.uuid());
        return chats(null, null, limit, first);
    }

    List<ChatSummary> chats(String where, Object[] whereArgs, int limit) {
        return chats(where, whereArgs, limit, null);
    }

    /**
     * The chat-list query; parameters: me, the uuids of the chats to count (when {@code recountSize} >= 0), me ×2,
     * those uuids again, me ×2, the "@handle" ×2, then {@code where}'s, then the limit. {@code recountSize} < 0
     * counts every chat; other chats get -1 for both counts. The counts join {@code chat_sub s CROSS JOIN message
     * m}: CROSS JOIN keeps the sub as the outer loop (SQLite does not reorder it), so each sub's messages are
     * searched on the primary key from the watermark ({@code id > ?}).
     * With a plain JOIN the planner, which has no statistics, preferred an index on the chat alone (the
     * {@code message_chat_time} of migrations 1-6) and visited every message of the chat, re-reading the watermark
     * for each: with 1M messages the chat list took over half a second however little was unread.
     */
    static String chatsSql(String where, int recountSize) {
        String only = recountSize < 0 ? "" : recountSize == 0 ? " CASE WHEN 0 THEN"
                : " CASE WHEN c.uuid IN (" + String.join(",", Collections.nCopies(recountSize, "?")) + ") THEN";
        String end = recountSize < 0 ? "" : " ELSE -1 END";
        return "SELECT c.uuid, c.type, c.name,"
                + " COALESCE(c.name, (SELECT " + NAME.formatted("u") + " FROM member mb JOIN user u ON u.uuid = mb.userUUID"
                + "   WHERE mb.chatUUID = c.uuid AND mb.userUUID <> ? ORDER BY mb.userUUID LIMIT 1)) AS title,"
                + " c.handle, p.position, lm.content, lm.created_at, " + NAME.formatted("lu") + ", lm.deleted,"
                + only + " (SELECT COUNT(*) FROM chat_sub s CROSS JOIN message m ON m.chatUUID = s.chatUUID AND m.subID = s.id"
                + "   AND m.id > COALESCE((SELECT MAX(r.messageID) FROM message_read r WHERE r.chatUUID = s.chatUUID"
                + "     AND r.userUUID = ? AND r.subID = s.id), 0)"
                + "   WHERE s.chatUUID = c.uuid AND m.deleted = 0 AND m.senderUUID IS NOT ?)" + end + " AS unread,"
                + " c.eventID,"
                // Mentions: unread messages naming the account's @handle; instr() on the unread rows only.
                + only + " (SELECT COUNT(*) FROM chat_sub s CROSS JOIN message m ON m.chatUUID = s.chatUUID AND m.subID = s.id"
                + "   AND m.id > COALESCE((SELECT MAX(r.messageID) FROM message_read r WHERE r.chatUUID = s.chatUUID"
                + "     AND r.userUUID = ? AND r.subID = s.id), 0)"
                + "   WHERE s.chatUUID = c.uuid AND m.deleted = 0 AND m.senderUUID IS NOT ? AND ? <> ''"
                + "   AND instr(lower(m.content), ?) > 0)" + end + " AS mentions"
                + " FROM chat c"
                + " LEFT JOIN chat_pin p ON p.chatUUID = c.uuid"
                // The last message: the newest of the subs' newest (by id, one primary-key seek each; sub 0 even
                // when its row is missing), so no index on created_at is needed (migration 7).
                + " LEFT JOIN message lm ON lm.rowid = (SELECT m2.rowid FROM"
                + "   (SELECT s2.id AS sid FROM chat_sub s2 WHERE s2.chatUUID = c.uuid UNION SELECT 0) ls"
                + "   CROSS JOIN message m2 ON m2.rowid = (SELECT m3.rowid FROM message m3"
                + "     WHERE m3.chatUUID = c.uuid AND m3.subID = ls.sid ORDER BY m3.id DESC LIMIT 1)"
                + "   ORDER BY m2.created_at DESC LIMIT 1)"
                + " LEFT JOIN user lu ON lu.uuid = lm.senderUUID"
                + (where == null ? "" : " WHERE " + where)
                + " ORDER BY p.position IS NULL, p.position, lm.created_at IS NULL, lm.created_at DESC,"
                + " title COLLATE NOCASE, c.uuid LIMIT ?";
    }

    // ---- message windows --------------------------------------------------------------------------------

    private static final String MESSAGE_COLUMNS = "m.chatUUID, m.subID, m.id, m.senderUUID, " + NAME.formatted("u")
            + ", m.content, m.created_at, m.edited, m.deleted,"
            + " EXISTS (SELECT 1 FROM pinned_message p WHERE p.chatUUID = m.chatUUID AND p.subID = m.subID"
            + "   AND p.messageID = m.id),"
            + " EXISTS (SELECT 1 FROM favorite_message f WHERE f.chatUUID = m.chatUUID AND f.subID = m.subID"
            + "   AND f.messageID = m.id)"
            + " FROM message m LEFT JOIN user u ON u.uuid = m.senderUUID";

    private record Row(String chatUUID, int subID, long id, String sender, String senderName, String content,
                       String createdAt, boolean edited, boolean deleted, boolean pinned, boolean favorite) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getInt(9) == 1, rs.getInt(10) == 1,
                rs.getInt(11) == 1);
    }

    List<MessageView> window(String chatUUID, int subID, long beforeId, int limit) {
        List<Row> rows = new ArrayList<>(query("SELECT " + MESSAGE_COLUMNS
                        + " WHERE m.chatUUID = ? AND m.subID = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?",
                ViewQueries::row, chatUUID, subID, beforeId, limit));
        Collections.reverse(rows);
        if (rows.isEmpty()) return List.of();
        long lo = rows.get(0).id();
        long hi = rows.get(rows.size() - 1).id();
        String me = me();
        Map<Long, List<MessageView.ReactionCount>> reactions = new HashMap<>();
        query("SELECT messageID, reaction, COUNT(*), MAX(userUUID = ?) FROM reaction_message"
                        + " WHERE chatUUID = ? AND subID = ? AND messageID BETWEEN ? AND ?"
                        + " GROUP BY messageID, reaction ORDER BY messageID, MIN(at), reaction",
                rs -> reactions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new MessageView.ReactionCount(rs.getString(2), rs.getInt(3), rs.getInt(4) == 1)),
                me, chatUUID, subID, lo, hi);
        // The account's reactions still queued (made offline) show as they will be, not once they are delivered.
        query("SELECT messageID, emoji, adding FROM pending_reaction WHERE chatUUID = ? AND subID = ?"
                        + " AND messageID BETWEEN ? AND ? ORDER BY id",
                rs -> {
                    queuedReaction(reactions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()), rs.getString(2),
                            rs.getInt(3) == 1);
                    return null;
                }, chatUUID, subID, lo, hi);
        Map<Long, List<MessageView.FileView>> files = new HashMap<>();
        query("SELECT mf.messageID, mf.fileUUID, f.name, f.size, f.mimeType FROM message_files mf"
                        + " LEFT JOIN file f ON f.uuid = mf.fileUUID"
                        + " WHERE mf.chatUUID = ? AND mf.subID = ? AND mf.messageID BETWEEN ? AND ?"
                        + " ORDER BY mf.messageID, mf.position",
                rs -> files.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new MessageView.FileView(rs.getString(2), rs.getString(3), Columns.longOrNull(rs, 4),
                                rs.getString(5))),
                chatUUID, subID, lo, hi);
        Map<Long, MessageView.ReplyRef> replies = new HashMap<>();
        // The message answered, from the store wherever it is: a reply to one far above the loaded window shows it.
        query("SELECT r.messageID, r.replyTo_chatUUID, r.replyTo_subID, r.replyTo_messageID, o.id IS NOT NULL, "
                        + NAME.formatted("u") + ", o.content, o.deleted FROM message_reply r"
                        + " LEFT JOIN message o ON o.chatUUID = r.replyTo_chatUUID AND o.subID = r.replyTo_subID"
                        + "   AND o.id = r.replyTo_messageID"
                        + " LEFT JOIN user u ON u.uuid = o.senderUUID"
                        + " WHERE r.chatUUID = ? AND r.subID = ? AND r.messageID BETWEEN ? AND ? AND r.position = 0"
                        + " AND r.replyTo_messageID IS NOT NULL",
                rs -> replies.put(rs.getLong(1), new MessageView.ReplyRef(rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getInt(5) == 1 ? new MessageView.Quoted(rs.getString(6), rs.getString(7), rs.getInt(8) == 1)
                                : null)),
                chatUUID, subID, lo, hi);
        List<MessageView> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(view(r, reactions.getOrDefault(r.id(), List.of()), replies.get(r.id()),
                    files.getOrDefault(r.id(), List.of())));
        }
        return out;
    }

    /** A queued reaction of the account's applied to a message's counts: added (once) or taken back. */
    private static void queuedReaction(List<MessageView.ReactionCount> counts, String emoji, boolean adding) {
        for (int i = 0; i < counts.size(); i++) {
            MessageView.ReactionCount c = counts.get(i);
            if (!c.emoji().equals(emoji)) continue;
            if (adding == c.mine()) return; // already as the queue will leave it
            int count = c.count() + (adding ? 1 : -1);
            if (count > 0) counts.set(i, new MessageView.ReactionCount(emoji, count, adding));
            else counts.remove(i);
            return;
        }
        if (adding) counts.add(new MessageView.ReactionCount(emoji, 1, true));
    }

    private static MessageView view(Row r, List<MessageView.ReactionCount> reactions, MessageView.ReplyRef reply,
                                    List<MessageView.FileView> files) {
        return new MessageView(r.chatUUID(), r.subID(), r.id(), r.sender(), r.senderName(), r.content(),
                r.createdAt(), r.edited(), r.deleted(), List.copyOf(reactions), reply, List.copyOf(files), r.pinned(),
                r.favorite());
    }

    /** Full-text hits, newest first; reactions and files are left out (a search result line does not show them). */
    List<MessageView> search(String ftsQuery, String chatUUID, int limit) {
        return query("SELECT " + MESSAGE_COLUMNS + " JOIN message_fts ON message_fts.rowid = m.rowid"
                        + " WHERE message_fts MATCH ? AND m.deleted = 0 AND (? IS NULL OR m.chatUUID = ?)"
                        + " ORDER BY m.created_at DESC LIMIT ?",
                rs -> view(row(rs), List.of(), null, List.of()), ftsQuery, chatUUID, chatUUID, limit);
    }

    /** The account's favourite messages that are stored, most recently favourited first (no reactions or files). */
    List<MessageView> favorites(int limit) {
        return query("SELECT " + MESSAGE_COLUMNS + " JOIN favorite_message fm ON fm.chatUUID = m.chatUUID"
                        + " AND fm.subID = m.subID AND fm.messageID = m.id"
                        + " ORDER BY fm.createdAt DESC, m.created_at DESC LIMIT ?",
                rs -> view(row(rs), List.of(), null, List.of()), limit);
    }

    Optional<String> chatDescription(String chatUUID) {
        List<String> v = query("SELECT description FROM chat WHERE uuid = ?", rs -> rs.getString(1), chatUUID);
        return v.isEmpty() || v.get(0) == null || v.get(0).isBlank() ? Optional.empty() : Optional.of(v.get(0));
    }

    // ---- chat details -----------------------------------------------------------------------------------

    /** Each member's read watermark in a (chat, sub), the account's own included; highest first. */
    List<ReadMarker> readMarkers(String chatUUID, int subID) {
        return query("SELECT r.userUUID, " + NAME.formatted("u") + ", MAX(r.messageID) FROM message_read r"
                        + " LEFT JOIN user u ON u.uuid = r.userUUID WHERE r.chatUUID = ? AND r.subID = ?"
                        + " GROUP BY r.userUUID ORDER BY 3 DESC, 2 COLLATE NOCASE",
                rs -> new ReadMarker(rs.getString(1), rs.getString(2), rs.getLong(3)), chatUUID, subID);
    }

    Optional<String> localSetting(String key) {
        List<String> v = query("SELECT json_extract(value_json, '$') FROM local_settings"
                        + " WHERE key = ? AND scope = 'local'",
                rs -> rs.getString(1), key);
        return v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    /** Each sub's unread and mention counts, counted as {@link #chatsSql} counts a whole chat. */
    List<SubUnread> subUnread(String chatUUID) {
        String me = me();
        String mention = myHandle().map(h -> "@" + h.toLowerCase(java.util.Locale.ROOT)).orElse("");
        String unread = " FROM message m WHERE m.chatUUID = s.chatUUID AND m.subID = s.id"
                + " AND m.id > COALESCE((SELECT MAX(r.messageID) FROM message_read r WHERE r.chatUUID = s.chatUUID"
                + "   AND r.userUUID = ? AND r.subID = s.id), 0) AND m.deleted = 0 AND m.senderUUID IS NOT ?";
        return query("SELECT s.id, (SELECT COUNT(*)" + unread + "), (SELECT COUNT(*)" + unread
                        + " AND ? <> '' AND instr(lower(m.content), ?) > 0),"
                        + " COALESCE((SELECT MAX(m.id) FROM message m WHERE m.chatUUID = s.chatUUID AND m.subID = s.id), 0)"
                        + " FROM chat_sub s WHERE s.chatUUID = ? ORDER BY s.id",
                rs -> new SubUnread(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getLong(4)),
                me, me, me, me, mention, mention, chatUUID);
    }

    String draft(String chatUUID, int subID) {
        List<String> v = query("SELECT text FROM draft WHERE chatUUID = ? AND subID = ?", rs -> rs.getString(1),
                chatUUID, subID);
        return v.isEmpty() ? "" : v.get(0);
    }

    List<PinnedMessageView> pinned(String chatUUID) {
        return query("SELECT p.subID, p.messageID, p.pinned_at, p.pinned_by, m.senderUUID, " + NAME.formatted("u") + ","
                        + " m.content, COALESCE(m.deleted, 0), m.id IS NOT NULL FROM pinned_message p"
                        + " LEFT JOIN message m ON m.chatUUID = p.chatUUID AND m.subID = p.subID AND m.id = p.messageID"
                        + " LEFT JOIN user u ON u.uuid = m.senderUUID"
                        + " WHERE p.chatUUID = ? ORDER BY p.pinned_at DESC, p.subID, p.messageID",
                rs -> new PinnedMessageView(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getInt(9) == 1),
                chatUUID);
    }

    List<MemberView> members(String chatUUID) {
        return query("SELECT mb.userUUID, " + NAME.formatted("u") + ", u.handle, mb.role_ids, mb.joined_at"
                        + " FROM member mb LEFT JOIN user u ON u.uuid = mb.userUUID WHERE mb.chatUUID = ?"
                        + " ORDER BY 2 COLLATE NOCASE, mb.userUUID",
                rs -> new MemberView(rs.getString(1), rs.getString(2), rs.getString(3), roleIds(rs.getString(4)),
                        rs.getString(5)),
                chatUUID);
    }

    /**
     * A member's role ids as the store writes them ({@code [1,2]}); a hand-edited column reads as none, roles being
     * decoration in views. Read by hand, not by the mapper: {@code novyse chats} reads nothing else as JSON, and
     * building the mapper was ~13 ms of its start.
     */
    static List<Integer> roleIds(String json) {
        if (json == null) return List.of();
        String s = json.strip();
        if (s.length() < 2 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') return List.of();
        String body = s.substring(1, s.length() - 1).strip();
        if (body.isEmpty()) return List.of();
        List<Integer> ids = new ArrayList<>();
        try {
            for (String part : body.split(",")) ids.add(Integer.parseInt(part.strip()));
        } catch (NumberFormatException e) {
            return List.of();
        }
        return List.copyOf(ids);
    }

    List<Sub> subs(String chatUUID) {
        return query("SELECT id, name, type, created_at FROM chat_sub WHERE chatUUID = ? ORDER BY id",
                rs -> new Sub(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)), chatUUID);
    }

    Optional<User> user(String uuid) {
        return users("uuid = ?", uuid).stream().findFirst();
    }

    /** Users by uuid, handle (with or without '@'), name or "name surname", case-insensitive. */
    List<User> findUsers(String wanted) {
        String q = wanted.trim();
        String handle = q.startsWith("@") ? q.substring(1) : q;
        return users("uuid = ? OR handle = ? COLLATE NOCASE OR name = ? COLLATE NOCASE OR "
                + NAME.formatted("user") + " = ? COLLATE NOCASE ORDER BY handle, uuid", q, handle, q, q);
    }

    private List<User> users(String where, Object... args) {
        return query("SELECT uuid, name, surname, handle, profilePictureUUID, bannerPictureUUID, biography, birthday,"
                        + " region, country, color, profileEventID FROM user WHERE " + where,
                rs -> new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getLong(12), null),
                args);
    }

    List<Role> roles(String chatUUID) {
        return query("SELECT id, name, permission, level, color FROM role WHERE chatUUID = ? ORDER BY id",
                rs -> new Role(rs.getInt(1), rs.getString(2), rs.getString(3), Columns.intOrNull(rs, 4),
                        rs.getString(5)), chatUUID);
    }

    /**
     * The roles the account holds in each chat whose member row for it is stored, by chat uuid, in role-id order;
     * an id the chat does not list comes as a role with only its id. One pass over the account's rows, not a query
     * per chat: {@code chats} asks for every chat at once.
     */
    Map<String, List<Role>> accountRoles() {
        Map<String, Map<Integer, Role>> listed = new HashMap<>();
        for (Object[] r : query("SELECT r.chatUUID, r.id, r.name, r.permission, r.level, r.color FROM role r"
                        + " JOIN member mb ON mb.chatUUID = r.chatUUID AND mb.userUUID = ?",
                rs -> new Object[]{rs.getString(1), new Role(rs.getInt(2), rs.getString(3), rs.getString(4),
                        Columns.intOrNull(rs, 5), rs.getString(6))}, me())) {
            Role role = (Role) r[1];
            listed.computeIfAbsent((String) r[0], k -> new HashMap<>()).put(role.id(), role);
        }
        Map<String, List<Role>> out = new HashMap<>();
        for (String[] m : query("SELECT chatUUID, role_ids FROM member WHERE userUUID = ?",
                rs -> new String[]{rs.getString(1), rs.getString(2)}, me())) {
            Map<Integer, Role> roles = listed.getOrDefault(m[0], Map.of());
            out.put(m[0], roleIds(m[1]).stream().sorted()
                    .map(id -> roles.getOrDefault(id, new Role(id, null, null, null, null))).toList());
        }
        return out;
    }

    /** The account's synced settings (key to JSON text), by key. */
    Map<String, String> syncedSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] r : query("SELECT key, value_json FROM local_settings WHERE scope = 'synced' ORDER BY key",
                rs -> new String[]{rs.getString(1), rs.getString(2)})) {
            out.put(r[0], r[1]);
        }
        return out;
    }

    /** Whether the store holds no server data, settings, sync state or outbox (see LocalDatabase#isEmpty). */
    boolean storeEmpty() {
        return longValue("SELECT (SELECT COUNT(*) FROM chat) + (SELECT COUNT(*) FROM user)"
                + " + (SELECT COUNT(*) FROM message) + (SELECT COUNT(*) FROM local_settings)"
                + " + (SELECT COUNT(*) FROM sync_state) + (SELECT COUNT(*) FROM pending_message)"
                + " + (SELECT COUNT(*) FROM pending_reaction)", 0) == 0;
    }
}
