package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The comparable state of one account, as sorted lines of text: chats, members, subs, users (every profile field),
 * messages, reactions, pins, read watermarks, favourites, chat pins, settings. Built either from the server
 * ({@link #server}: a fresh {@code GET /user/initialize}, paged through {@code /user/update} — the expected state)
 * or from a client's SQLite file ({@link #client}: plain SQL — the actual state). Edit history and event cursors
 * are not part of it: initialize does not carry them.
 *
 * <p>Users: a contact list is "the account plus every member of a chat it can see" on both sides. The protocol
 * has no {@code users.removed}, so a client keeps profiles of people who no longer share a chat; those rows are
 * outside the projection (reported separately by {@link #lingeringUsers}).
 */
public final class Projection {
    static final boolean MASK = Boolean.getBoolean("novyse.e2e.maskTombstoneBugs");
    private final TreeSet<String> lines;

    private Projection(TreeSet<String> lines) {
        this.lines = lines;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long count(String kind) {
        return lines.stream().filter(l -> l.startsWith(kind + " ")).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Projection p && p.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    /** A readable difference: "- line" only in {@code expected}, "+ line" only in {@code actual}; "" when equal. */
    public static String diff(Projection expected, Projection actual) {
        StringBuilder sb = new StringBuilder();
        for (String l : expected.lines) {
            if (!actual.lines.contains(l)) sb.append("\n  - ").append(l);
        }
        for (String l : actual.lines) {
            if (!expected.lines.contains(l)) sb.append("\n  + ").append(l);
        }
        return sb.toString();
    }

    /** Fails with the diff (expected lines prefixed '-', actual '+') unless the two are equal. */
    public static void assertSame(Projection expected, Projection actual, String what) {
        String d = diff(expected, actual);
        if (!d.isEmpty()) {
            throw new AssertionError(what + ": projections differ (- expected, + actual):" + d);
        }
    }

    // ---- building ---------------------------------------------------------------------------------------

    private static final class Builder {
        final TreeSet<String> out = new TreeSet<>();
        final Set<String> chats = new HashSet<>();
        final Set<String> contacts = new HashSet<>();
        final Map<String, String> users = new HashMap<>();
        String me;

        void add(String line) {
            if (!out.add(line)) throw new AssertionError("duplicate row in a projection: " + line);
        }

        Projection build() {
            if (me != null) {
                add("me " + me);
                contacts.add(me);
            }
            for (Map.Entry<String, String> u : users.entrySet()) {
                if (contacts.contains(u.getKey())) add(u.getValue());
            }
            return new Projection(out);
        }
    }

    static String q(String s) {
        if (s == null) return "null";
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String userLine(String uuid, String name, String surname, String handle, String pic, String banner,
                           String bio, String birthday, String region, String country, String color) {
        return "user " + uuid + " name=" + q(name) + " surname=" + q(surname) + " handle=" + q(handle)
                + " picture=" + q(pic) + " banner=" + q(banner) + " bio=" + q(bio) + " birthday=" + q(birthday)
                + " region=" + q(region) + " country=" + q(country) + " color=" + q(color);
    }

    static String messageLine(String chat, long sub, long id, String sender, String at, boolean edited, boolean deleted,
                              String content) {
        return "msg " + chat + " " + sub + " " + id + " sender=" + sender + " at=" + at + " edited=" + edited
                + " deleted=" + deleted + " content=" + q(content);
    }

    static String roles(JsonNode arrayOrText) {
        JsonNode arr = arrayOrText;
        if (arrayOrText != null && arrayOrText.isTextual()) {
            try {
                arr = Json.mapper().readTree(arrayOrText.asText());
            } catch (IOException e) {
                return "unparseable:" + arrayOrText.asText();
            }
        }
        TreeSet<Integer> ids = new TreeSet<>();
        if (arr != null) arr.forEach(n -> ids.add(n.asInt()));
        return ids.toString().replace(" ", "");
    }

    static String canonicalJson(JsonNode v) {
        try {
            Object o = Json.mapper().treeToValue(v, Object.class);
            return Json.mapper().copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    // ---- the server: expected state ----------------------------------------------------------------------

    /** The raw JSON of a fresh initialize with every message page merged into {@code messages}. */
    public static ObjectNode initializeJson(String baseUrl, String token) {
        HttpClient http = HttpClient.newHttpClient();
        ObjectNode init = (ObjectNode) call(http, HttpRequest.newBuilder(URI.create(baseUrl + "/user/initialize?limit=10000"))
                .header("Authorization", "Bearer " + token).GET().build());
        ArrayNode messages = (ArrayNode) init.withArray("messages");
        boolean more = init.path("hasMore").asBoolean(false);
        int pages = 0;
        while (more) {
            if (++pages > 1000) throw new AssertionError("server view: paging does not end");
            Map<String, Map<Long, Long>> max = new HashMap<>();
            for (JsonNode m : messages) {
                max.computeIfAbsent(m.get("chatUUID").asText(), k -> new HashMap<>())
                        .merge(m.get("subID").asLong(), m.get("id").asLong(), Math::max);
            }
            ObjectNode body = Json.mapper().createObjectNode();
            body.putObject("local").put("eventID", init.path("local").path("user").path("eventID").asLong());
            ArrayNode chats = body.putArray("chats");
            for (JsonNode c : init.path("chats")) {
                ObjectNode co = chats.addObject().put("chatUUID", c.get("uuid").asText()).put("eventID", c.path("eventID").asLong());
                ArrayNode subs = co.putArray("subs");
                max.getOrDefault(c.get("uuid").asText(), Map.of()).forEach((s, id) -> subs.addObject().put("subID", s).put("messageID", id));
            }
            ArrayNode users = body.putArray("users");
            for (JsonNode u : init.path("users")) {
                users.addObject().put("userUUID", u.get("uuid").asText()).put("profileEventID", u.path("profileEventID").asLong());
            }
            JsonNode page = call(http, HttpRequest.newBuilder(URI.create(baseUrl + "/user/update?limit=10000"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
            if (page.path("chats").path("new").size() + page.path("chats").path("removed").size()
                    + page.path("chats").path("events").size() + page.path("users").path("new").size() > 0) {
                throw new AssertionError("server view: the server changed while it was being read: " + page);
            }
            page.path("messages").forEach(messages::add);
            more = page.path("hasMore").asBoolean(false);
        }
        init.remove("hasMore");
        return init;
    }

    private static JsonNode call(HttpClient http, HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode root = Json.mapper().readTree(r.body());
            if (r.statusCode() != 200 || !root.path("success").asBoolean()) {
                throw new AssertionError("server view: " + req.uri() + " answered " + r.statusCode() + " " + r.body());
            }
            return root.get("data");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The expected state of the account holding {@code token}, read from the server. */
    public static Projection server(String baseUrl, String token) {
        return fromInitialize(initializeJson(baseUrl, token));
    }

    public static Projection fromInitialize(JsonNode d) {
        Builder b = new Builder();
        JsonNode local = d.path("local");
        b.me = text(local.path("user"), "uuid");
        for (JsonNode u : d.path("users")) {
            b.users.put(u.get("uuid").asText(), userLine(u.get("uuid").asText(), text(u, "name"), text(u, "surname"),
                    text(u, "handle"), text(u, "profilePictureUUID"), text(u, "bannerPictureUUID"), text(u, "biography"),
                    text(u, "birthday"), text(u, "region"), text(u, "country"), text(u, "color")));
        }
        for (JsonNode c : d.path("chats")) {
            String chat = c.get("uuid").asText();
            b.chats.add(chat);
            b.add("chat " + chat + " type=" + text(c, "type") + " name=" + q(text(c, "name")) + " handle=" + q(text(c, "handle")));
            for (JsonNode m : c.path("members")) {
                String user = m.has("uuid") ? text(m, "uuid") : text(m, "userUUID");
                b.contacts.add(user);
                b.add("member " + chat + " " + user + " roles=" + roles(m.has("roleIDs") ? m.get("roleIDs") : m.get("roles")));
            }
            for (JsonNode s : c.path("subs")) {
                b.add("sub " + chat + " " + s.get("id").asLong() + " name=" + q(text(s, "name")) + " type=" + text(s, "type"));
            }
            for (JsonNode p : c.path("pinnedMessages")) {
                b.add("pin " + chat + " " + p.get("subID").asLong() + " " + p.get("messageID").asLong() + " by=" + text(p, "pinnedBy"));
            }
        }
        for (JsonNode m : d.path("messages")) {
            String chat = m.get("chatUUID").asText();
            long sub = m.get("subID").asLong();
            long id = m.get("id").asLong();
            boolean deleted = m.path("deleted").asBoolean(false);
            b.add(messageLine(chat, sub, id, text(m, "userUUID"), text(m, "created_at"), m.path("edited").asBoolean(false),
                    deleted, deleted ? null : text(m, "content")));
            for (JsonNode r : m.path("reactions")) {
                b.add("reaction " + chat + " " + sub + " " + id + " " + text(r, "userUUID") + " " + q(text(r, "reaction")));
            }
            for (JsonNode r : MASK && deleted ? Json.mapper().createArrayNode() : m.path("reads")) {
                b.add("read " + chat + " " + sub + " " + text(r, "userUUID") + " upto=" + id);
            }
        }
        for (JsonNode f : local.path("favoriteMessages")) {
            b.add("fav " + text(f, "chatUUID") + " " + f.get("subID").asLong() + " " + f.get("messageID").asLong());
        }
        for (JsonNode p : local.path("pinnedChats")) {
            b.add("chatpin " + text(p, "chatUUID") + " position=" + p.get("position").asInt());
        }
        local.path("settings").fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) b.add("setting " + q(e.getKey()) + " = " + canonicalJson(e.getValue()));
        });
        return b.build();
    }

    // ---- the client: actual state ------------------------------------------------------------------------

    static Connection open(Path dbFile) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    static void each(Connection c, String sql, Row row) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) row.accept(rs);
        }
    }

    /** The actual state of the client database at {@code dbFile}, read with SQL. */
    public static Projection client(Path dbFile) {
        Builder b = new Builder();
        try (Connection c = open(dbFile)) {
            c.setAutoCommit(false); // one read transaction: one snapshot
            each(c, "SELECT value FROM sync_state WHERE key = 'account.userUUID'", rs -> b.me = rs.getString(1));
            each(c, "SELECT uuid, name, surname, handle, profilePictureUUID, bannerPictureUUID, biography, birthday,"
                    + " region, country, color FROM user", rs -> b.users.put(rs.getString(1), userLine(rs.getString(1),
                    rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11))));
            each(c, "SELECT uuid, type, name, handle FROM chat", rs -> b.add("chat " + rs.getString(1) + " type="
                    + rs.getString(2) + " name=" + q(rs.getString(3)) + " handle=" + q(rs.getString(4))));
            each(c, "SELECT chatUUID, userUUID, role_ids FROM member", rs -> {
                b.contacts.add(rs.getString(2));
                b.add("member " + rs.getString(1) + " " + rs.getString(2) + " roles="
                        + roles(Json.mapper().getNodeFactory().textNode(rs.getString(3))));
            });
            each(c, "SELECT chatUUID, id, name, type FROM chat_sub", rs -> b.add("sub " + rs.getString(1) + " "
                    + rs.getLong(2) + " name=" + q(rs.getString(3)) + " type=" + rs.getString(4)));
            each(c, "SELECT chatUUID, subID, messageID, pinned_by FROM pinned_message", rs -> b.add("pin "
                    + rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " by=" + rs.getString(4)));
            each(c, "SELECT chatUUID, subID, id, senderUUID, created_at, edited, deleted, content FROM message",
                    rs -> b.add(messageLine(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6) != 0 && !(MASK && rs.getInt(7) != 0), rs.getInt(7) != 0, rs.getString(8))));
            each(c, "SELECT chatUUID, subID, messageID, userUUID, reaction FROM reaction_message", rs -> b.add("reaction "
                    + rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getString(4) + " " + q(rs.getString(5))));
            // -Dnovyse.e2e.maskTombstoneBugs=true hides two known store divergences (edited flag and read rows kept
            // on tombstones) so that exploratory runs can find others; never set by default.
            each(c, "SELECT chatUUID, subID, userUUID, MAX(messageID) FROM message_read r"
                    + (MASK ? " WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.chatUUID = r.chatUUID AND m.subID = r.subID"
                    + " AND m.id = r.messageID AND m.deleted = 1)" : "") + " GROUP BY chatUUID, subID, userUUID",
                    rs -> b.add("read " + rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " upto=" + rs.getLong(4)));
            each(c, "SELECT chatUUID, subID, messageID FROM favorite_message", rs -> b.add("fav " + rs.getString(1) + " "
                    + rs.getLong(2) + " " + rs.getLong(3)));
            each(c, "SELECT chatUUID, position FROM chat_pin", rs -> b.add("chatpin " + rs.getString(1) + " position=" + rs.getInt(2)));
            each(c, "SELECT key, value_json FROM local_settings WHERE scope = 'synced'", rs -> {
                try {
                    b.add("setting " + q(rs.getString(1)) + " = " + canonicalJson(Json.mapper().readTree(rs.getString(2))));
                } catch (IOException e) {
                    b.add("setting " + q(rs.getString(1)) + " = unparseable " + q(rs.getString(2)));
                }
            });
            c.rollback();
        } catch (SQLException e) {
            throw new AssertionError("cannot read the client database " + dbFile + ": " + e.getMessage(), e);
        }
        return b.build();
    }

    /** Profiles the client keeps of users outside its contacts (no chat in common any more). */
    public static List<String> lingeringUsers(Path dbFile) {
        List<String> out = new ArrayList<>();
        try (Connection c = open(dbFile)) {
            each(c, "SELECT uuid FROM user WHERE uuid NOT IN (SELECT userUUID FROM member)"
                    + " AND uuid IS NOT (SELECT value FROM sync_state WHERE key = 'account.userUUID')", rs -> out.add(rs.getString(1)));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /**
     * Everything a sync may move that the projection leaves out: sync_state, every chat's event cursor, every
     * user's profile cursor, per-sub message cursors and the outbox. With {@link #client} it is the whole content a
     * failed sync must leave untouched.
     */
    public static List<String> cursors(Path dbFile) {
        List<String> out = new ArrayList<>();
        try (Connection c = open(dbFile)) {
            each(c, "SELECT key, value FROM sync_state ORDER BY key", rs -> out.add("state " + rs.getString(1) + "=" + rs.getString(2)));
            each(c, "SELECT uuid, eventID FROM chat ORDER BY uuid", rs -> out.add("chatcursor " + rs.getString(1) + "=" + rs.getLong(2)));
            each(c, "SELECT uuid, profileEventID FROM user ORDER BY uuid", rs -> out.add("usercursor " + rs.getString(1) + "=" + rs.getLong(2)));
            each(c, "SELECT chatUUID, subID, MAX(id), COUNT(*) FROM message GROUP BY chatUUID, subID ORDER BY 1, 2",
                    rs -> out.add("subcursor " + rs.getString(1) + "/" + rs.getLong(2) + "=" + rs.getLong(3) + " n=" + rs.getLong(4)));
            each(c, "SELECT tempId, chatUUID, subID, content, state, attempts FROM pending_message ORDER BY id",
                    rs -> out.add("pending " + rs.getString(1) + " " + rs.getString(2) + "/" + rs.getLong(3) + " "
                            + q(rs.getString(4)) + " " + rs.getString(5) + " attempts=" + rs.getInt(6)));
            each(c, "SELECT COUNT(*) FROM edited_message", rs -> out.add("edits " + rs.getLong(1)));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** (chat, sub) runs whose ids are not exactly 1..max: "chat/sub count=n max=m" for each hole-y run. */
    public static List<String> holes(Path dbFile) {
        List<String> out = new ArrayList<>();
        try (Connection c = open(dbFile)) {
            each(c, "SELECT chatUUID, subID, COUNT(*), MIN(id), MAX(id) FROM message GROUP BY chatUUID, subID", rs -> {
                if (rs.getLong(3) != rs.getLong(5) || rs.getLong(4) != 1) {
                    out.add(rs.getString(1) + "/" + rs.getLong(2) + " count=" + rs.getLong(3) + " min=" + rs.getLong(4)
                            + " max=" + rs.getLong(5));
                }
            });
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    public static String integrityCheck(Path dbFile) {
        StringBuilder sb = new StringBuilder();
        try (Connection c = open(dbFile)) {
            each(c, "PRAGMA integrity_check", rs -> sb.append(sb.length() == 0 ? "" : "; ").append(rs.getString(1)));
            each(c, "PRAGMA foreign_key_check", rs -> sb.append("; fk violation in ").append(rs.getString(1)));
            boolean[] fts = {false};
            each(c, "SELECT 1 FROM sqlite_master WHERE name = 'message_fts'", rs -> fts[0] = true);
            if (fts[0]) {
                // The full-text index agrees with its content table (every message indexed, as it is now): FTS5
                // raises SQLITE_CORRUPT_VTAB otherwise. A sync page indexes its messages in bulk before it commits.
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
                } catch (SQLException e) {
                    sb.append("; full-text index: ").append(e.getMessage());
                }
            }
        } catch (SQLException e) {
            return "cannot check: " + e.getMessage();
        }
        return sb.toString();
    }

    public static long scalar(Path dbFile, String sql) {
        try (Connection c = open(dbFile); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
