package dev.novyse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Timestamps;
import dev.novyse.server.db.PostgresEngine;
import dev.novyse.server.live.LiveFeed;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Live events across server processes sharing one PostgreSQL database. The event log is the truth and a notification
 * only a poke: every announcement is written in its transaction to {@code live_frames} under its scope's next number
 * ({@code live_scopes}: one counter row per chat or user, bumped with {@code UPDATE}, so it stays locked to the
 * transaction and the next one of the same scope waits for this commit — numbers of a scope commit in order and never
 * leave a gap), and a notification goes out at the commit ({@code novyse_live}: the writing process, the scope and
 * the number, and the frame itself when it fits in PostgreSQL's 8,000 bytes). Every process, the writer's own
 * included, delivers each scope's frames in number order from a cursor per scope: its own frames straight from
 * memory, others' from the notification (or read back from the table when it only says the number); a gap before
 * a frame is read from the table first. A notification can be lost (a listening connection that broke): every {@link #SWEEP} the process looks for
 * frames past its cursors anyway. Frames are pruned after {@link #KEEP}: a client away longer fetches by cursor.
 * Presence and typing are not stored: they travel in the notification itself ({@code novyse_ephemeral}).
 * Reading one global sequence with {@code id > last} would skip rows that commit out of order; scopes' numbers do not.
 */
final class LiveFrames implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFrames.class);
    static final String CHANNEL = "novyse_live";
    static final String EPHEMERAL = "novyse_ephemeral";
    static final Duration SWEEP = Duration.ofSeconds(2);
    static final Duration KEEP = Duration.ofMinutes(5);
    /** Notifications carry the frame below this size (PostgreSQL refuses a payload of 8,000 bytes or more). */
    static final int NOTIFY_LIMIT = 7_900;

    /** One frame to deliver: from this process's commit (payload as given) or read back (payload as JSON). */
    private record Frame(String scope, long seq, List<String> to, String event, Object payload) {}

    private record Poke(String scope, long seq) {}

    private record Ephemeral(List<String> to, String event, JsonNode payload) {}

    private enum Sweep { NOW }

    private final ServerDatabase db;
    private final PostgresEngine engine;
    private final LiveFeed feed;
    private final String origin = UUID.randomUUID().toString();
    private final BlockingQueue<Object> work = new LinkedBlockingQueue<>();
    /** The last number delivered per scope; only the delivering thread touches it. */
    private final Map<String, Long> cursors = new HashMap<>();
    private volatile boolean closed;
    private final Thread deliverer;
    private final Thread listener;

    LiveFrames(ServerDatabase db, PostgresEngine engine, LiveFeed feed) {
        this.db = db;
        this.engine = engine;
        this.feed = feed;
        // Everything committed before this process started is history: its clients fetch it by cursor.
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, seq FROM live_scopes")) {
                while (rs.next()) cursors.put(rs.getString(1), rs.getLong(2));
            }
            return null;
        });
        this.deliverer = DaemonThreads.start("novyse-live-frames", this::deliverLoop);
        this.listener = DaemonThreads.start("novyse-live-listen", this::listenLoop);
    }

    /** This process's name among those sharing the database (random, one per start). */
    String origin() {
        return origin;
    }

    /** Writes {@code a} in the current transaction on {@code c}, under its scope's next number; returns the frame. */
    Object record(Connection c, Announcement a) throws SQLException {
        long seq = ServerDatabase.queryLong(c, "INSERT INTO live_scopes(scope, seq) VALUES(?, 1)"
                + " ON CONFLICT(scope) DO UPDATE SET seq = live_scopes.seq + 1 RETURNING seq", a.scope());
        String recipients = json(a.to());
        String payload = json(a.payload());
        ServerDatabase.update(c, "INSERT INTO live_frames(scope, seq, origin, recipients, event, payload, created_at)"
                + " VALUES(?,?,?,?,?,?,?)", a.scope(), seq, origin, recipients, a.event(), payload,
                Timestamps.now());
        // The frame rides in the notification when it fits: the other processes then need no read of the table
        // (four round trips and about a millisecond of CPU per frame when they did).
        String header = origin + " " + a.scope() + " " + seq;
        String body = "{\"to\":" + recipients + ",\"event\":" + json(a.event()) + ",\"payload\":" + payload + "}";
        String note = header.length() + 1 + utf8Length(body) < NOTIFY_LIMIT ? header + "\n" + body : header;
        ServerDatabase.queryString(c, "SELECT pg_notify('" + CHANNEL + "', ?)", note);
        return new Frame(a.scope(), seq, a.to(), a.event(), a.payload());
    }

    /** Frames of a committed transaction ({@link #record}'s results), in the order they were recorded. */
    void committed(List<Object> frames) {
        work.add(frames);
    }

    /** Presence or typing: to this process's sockets now, and to the other processes' through a notification. */
    void relay(List<String> to, String event, Object payload) {
        feed.toUsers(to, event, payload);
        ObjectNode n = Json.mapper().createObjectNode().put("origin", origin).put("event", event);
        ArrayNode users = n.putArray("to");
        to.forEach(users::add);
        n.set("payload", Json.mapper().valueToTree(payload));
        try {
            db.notifyProcesses(EPHEMERAL, n.toString());
        } catch (RuntimeException e) {
            LOG.debug("presence or typing not relayed to other processes: {}", e.toString());
        }
    }

    private void deliverLoop() {
        while (!closed) {
            Object item;
            try {
                item = work.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item instanceof List<?> frames) {
                    for (Object f : frames) deliver((Frame) f);
                } else if (item instanceof Poke p) {
                    catchUp(p.scope(), p.seq());
                } else if (item instanceof Ephemeral e) {
                    feed.toUsers(e.to(), e.event(), e.payload());
                } else {
                    sweep();
                }
            } catch (RuntimeException e) {
                if (closed) return;
                // The database is away: what was missed is found by the next sweep once it is back.
                LOG.warn("live events from other server processes delayed: {}", e.getMessage());
            }
        }
    }

    private void deliver(Frame f) {
        long at = cursors.getOrDefault(f.scope(), 0L);
        if (f.seq() <= at) return; // already delivered, read back from the table on an earlier poke
        if (f.seq() > at + 1) catchUp(f.scope(), f.seq() - 1);
        feed.toUsers(f.to(), f.event(), f.payload());
        cursors.put(f.scope(), f.seq());
    }

    /** Delivers the frames of {@code scope} past its cursor up to {@code upTo}, in number order. */
    private void catchUp(String scope, long upTo) {
        long at = cursors.getOrDefault(scope, 0L);
        if (upTo <= at) return;
        List<Frame> missed = db.read(c -> {
            List<Frame> out = new ArrayList<>();
            try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT seq, recipients, event, payload FROM live_frames"
                    + " WHERE scope=? AND seq>? AND seq<=? ORDER BY seq", scope, at, upTo);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> to = new ArrayList<>();
                    parse(rs.getString(2)).forEach(u -> to.add(u.asText()));
                    out.add(new Frame(scope, rs.getLong(1), to, rs.getString(3), parse(rs.getString(4))));
                }
            }
            return out;
        });
        for (Frame f : missed) {
            feed.toUsers(f.to(), f.event(), f.payload());
            cursors.put(scope, f.seq());
        }
    }

    /** The safety net for lost notifications: frames of the last minute past this process's cursors. */
    private void sweep() {
        Map<String, Long> newest = db.read(c -> {
            Map<String, Long> out = new HashMap<>();
            try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT scope, MAX(seq) FROM live_frames"
                    + " WHERE created_at > ? GROUP BY scope", Timestamps.of(Instant.now().minus(Duration.ofMinutes(1))));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        });
        newest.forEach(this::catchUp);
    }

    private void listenLoop() {
        Instant nextPrune = Instant.now();
        while (!closed) {
            try (Connection c = engine.dedicatedConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                s.execute("LISTEN " + EPHEMERAL);
                work.add(Sweep.NOW); // whatever was committed while this process was not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                Instant nextSweep = Instant.now().plus(SWEEP);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications((int) SWEEP.toMillis());
                    if (got != null) {
                        for (PGNotification n : got) take(n);
                    }
                    Instant now = Instant.now();
                    if (now.isAfter(nextSweep)) {
                        work.add(Sweep.NOW);
                        nextSweep = now.plus(SWEEP);
                    }
                    if (now.isAfter(nextPrune)) {
                        prune();
                        nextPrune = now.plus(Duration.ofMinutes(1));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                LOG.warn("listening for other server processes' events failed, retrying: {}", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void take(PGNotification n) {
        if (n.getName().equals(CHANNEL)) {
            String text = n.getParameter();
            int newline = text.indexOf('\n');
            String[] header = (newline < 0 ? text : text.substring(0, newline)).split(" ");
            if (header.length != 3 || header[0].equals(origin)) return; // this process's own: delivered from memory
            long seq = Long.parseLong(header[2]);
            if (newline < 0) {
                work.add(new Poke(header[1], seq));
                return;
            }
            JsonNode body = parse(text.substring(newline + 1));
            List<String> to = new ArrayList<>();
            body.path("to").forEach(u -> to.add(u.asText()));
            work.add(List.of(new Frame(header[1], seq, to, body.path("event").asText(), body.path("payload"))));
        } else if (n.getName().equals(EPHEMERAL)) {
            JsonNode e = parse(n.getParameter());
            if (e.path("origin").asText().equals(origin)) return; // delivered here already
            List<String> to = new ArrayList<>();
            e.path("to").forEach(u -> to.add(u.asText()));
            work.add(new Ephemeral(to, e.path("event").asText(), e.path("payload")));
        }
    }

    private void prune() {
        String before = Timestamps.of(Instant.now().minus(KEEP));
        db.write(c -> ServerDatabase.update(c, "DELETE FROM live_frames WHERE created_at < ?", before));
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an announcement that cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored live frame that is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        deliverer.interrupt();
    }
}
