package dev.novyse.server;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.novyse.server.ServerDatabase.update;

/**
 * Writes large workspaces straight into the server's tables for tests and benchmarks, keeping the same
 * invariants as the API (dense message ids, sequences, sub 0). Users must already exist (sign them up first).
 */
public final class BulkSeeder {
    private BulkSeeder() {}

    /** What to build: {@code chats} GROUP chats with all {@code members}, {@code messagesPerChat} messages each. */
    public record Spec(List<String> members, int chats, int messagesPerChat, long seed) {
    }

    private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while novyse keeps every message"
            + " safe offline and in sync with the server through cursors events and batches").split(" ");

    /** Seeds and returns the chat uuids, in creation order. */
    public static List<String> seed(NovyseServer server, Spec spec) {
        return seed(server.database(), spec);
    }

    /** {@link #seed(NovyseServer, Spec)} into a database a server in another process uses. */
    public static List<String> seed(ServerDatabase db, Spec spec) {
        Random random = new Random(spec.seed());
        return db.write(c -> {
            java.util.ArrayList<String> chats = new java.util.ArrayList<>();
            long t0 = System.currentTimeMillis() - (long) spec.chats() * spec.messagesPerChat() * 1000L;
            try (PreparedStatement msg = c.prepareStatement("INSERT INTO messages(chat_uuid, sub_id, id, sender_uuid,"
                    + " content, type, created_at) VALUES(?,0,?,?,?,'message',?)");
                 PreparedStatement react = c.prepareStatement("INSERT INTO reactions(chat_uuid, sub_id, message_id,"
                         + " user_uuid, reaction, created_at) VALUES(?,0,?,?,?,?)")) {
                for (int i = 0; i < spec.chats(); i++) {
                    String chat = UUID.randomUUID().toString();
                    chats.add(chat);
                    String at = java.time.Instant.ofEpochMilli(t0).toString();
                    update(c, "INSERT INTO chats(uuid, type, name, created_at, created_by) VALUES(?,?,?,?,?)",
                            chat, "GROUP", "bench-" + i, at, spec.members().get(0));
                    update(c, "INSERT INTO subs(chat_uuid, id, name, type, created_at, next_message_id)"
                            + " VALUES(?,0,'general','DEFAULT',?,?)", chat, at, spec.messagesPerChat() + 1);
                    for (int m = 0; m < spec.members().size(); m++) {
                        update(c, "INSERT INTO members(chat_uuid, user_uuid, role_ids, joined_at) VALUES(?,?,?,?)",
                                chat, spec.members().get(m), m == 0 ? "[0,1]" : "[0]", at);
                    }
                    for (int id = 1; id <= spec.messagesPerChat(); id++) {
                        String when = java.time.Instant.ofEpochMilli(t0 += 1000).toString();
                        String sender = spec.members().get(random.nextInt(spec.members().size()));
                        msg.setString(1, chat);
                        msg.setLong(2, id);
                        msg.setString(3, sender);
                        msg.setString(4, sentence(random));
                        msg.setString(5, when);
                        msg.addBatch();
                        if (random.nextInt(20) == 0) {
                            react.setString(1, chat);
                            react.setLong(2, id);
                            react.setString(3, spec.members().get(random.nextInt(spec.members().size())));
                            react.setString(4, random.nextBoolean() ? "👍" : "🎉");
                            react.setString(5, when);
                            react.addBatch();
                        }
                        if (id % 1000 == 0) {
                            msg.executeBatch();
                            react.executeBatch();
                        }
                    }
                    msg.executeBatch();
                    react.executeBatch();
                }
            }
            return chats;
        });
    }

    /**
     * Sets {@code user}'s read watermark in sub 0 of each chat to the given message id (the server's {@code reads}
     * row, as a read receipt would); chats not in the map keep no watermark (all unread). For benchmarks.
     */
    public static void markRead(NovyseServer server, String user, java.util.Map<String, Long> watermarks) {
        String at = java.time.Instant.now().toString();
        server.database().write(c -> {
            for (var e : watermarks.entrySet()) {
                update(c, "INSERT INTO reads(chat_uuid, sub_id, user_uuid, message_id, read_at) VALUES(?,0,?,?,?)"
                        + " ON CONFLICT(chat_uuid, sub_id, user_uuid) DO UPDATE SET message_id = excluded.message_id",
                        e.getKey(), user, e.getValue(), at);
            }
            return null;
        });
    }

    /** Appends {@code " " + text} to every {@code every}-th message (by id) that {@code sender} wrote; returns how many. */
    public static int append(NovyseServer server, String sender, String text, int every) {
        return server.database().write(c -> update(c, "UPDATE messages SET content = content || ' ' || ?"
                + " WHERE sender_uuid = ? AND id % ? = 0", text, sender, every));
    }

    static String sentence(Random random) {
        int n = 4 + random.nextInt(14);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

}
