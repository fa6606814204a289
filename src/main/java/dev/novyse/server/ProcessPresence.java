package dev.novyse.server;

import dev.novyse.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is online across server processes sharing one PostgreSQL database. Each process knows only its own sockets: a
 * user with a phone on one process and a laptop on another who closes the laptop is still online, and only the
 * process that sees a user's last connection anywhere may say otherwise. So each process keeps a row per user it has
 * connections for ({@code live_presence}) and its own heartbeat ({@code live_processes}); a user's presence changes
 * only when no other live process has a row for them, decided under a per-user lock so that two processes never
 * both decide. A process that dies (SIGKILL, a lost machine) stops beating: after {@link #EXPIRY} another process
 * removes its rows and announces offline whoever had no connection elsewhere.
 */
final class ProcessPresence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessPresence.class);
    static final Duration BEAT = Duration.ofSeconds(2);
    /** Five missed beats: a process that busy (a long collection, a stalled disk) is treated as gone. */
    static final Duration EXPIRY = BEAT.multipliedBy(5);

    private final ServerDatabase db;
    private final String origin;
    private volatile Consumer<List<String>> offline = users -> { };
    private volatile boolean closed;
    private final Thread beat;

    ProcessPresence(ServerDatabase db, String origin) {
        this.db = db;
        this.origin = origin;
        beat();
        this.beat = DaemonThreads.start("novyse-live-presence-beat", this::beatLoop);
    }

    /** Where the users a dead process leaves offline are announced: the users of one reaping at a time. */
    void whenLeftOffline(Consumer<List<String>> announce) {
        this.offline = announce;
    }

    /**
     * This process's first connection of {@code user} opened ({@code online}) or its last one closed: whether that
     * changes the user's presence, i.e. no other live process has a connection of theirs.
     */
    boolean changes(String user, boolean online) {
        return db.write(c -> {
            lockUser(c, user);
            if (online) {
                ServerDatabase.update(c, "INSERT INTO live_presence(origin, user_uuid) VALUES(?,?) ON CONFLICT DO NOTHING",
                        origin, user);
            } else {
                ServerDatabase.update(c, "DELETE FROM live_presence WHERE origin=? AND user_uuid=?", origin, user);
            }
            return !heldBesides(c, user, origin);
        });
    }

    /** Whether a live process other than {@code process} holds a connection of {@code user}'s. */
    private static boolean heldBesides(Connection c, String user, String process) throws SQLException {
        return ServerDatabase.queryLong(c, "SELECT COUNT(*) FROM live_presence p JOIN live_processes s"
                + " ON s.origin = p.origin WHERE p.user_uuid = ? AND p.origin <> ? AND s.seen_at > ?",
                user, process, liveSince()) > 0;
    }

    /** Which of {@code users} a live process (this one included) holds a connection of. */
    static Set<String> held(Connection c, List<String> users) throws SQLException {
        if (users.isEmpty()) return Set.of();
        List<Object> args = new java.util.ArrayList<>(users);
        args.add(liveSince());
        return new LinkedHashSet<>(ServerDatabase.queryStrings(c, "SELECT DISTINCT p.user_uuid FROM live_presence p"
                + " JOIN live_processes s ON s.origin = p.origin WHERE p.user_uuid IN ("
                + String.join(",", java.util.Collections.nCopies(users.size(), "?")) + ") AND s.seen_at > ?", args.toArray()));
    }

    /** One transaction per user's decisions, whichever process makes them (a lock that ends with the transaction). */
    private static void lockUser(Connection c, String user) throws SQLException {
        ServerDatabase.queryLong(c, "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtext(?))) l", "presence " + user);
    }

    /** Heartbeats are wall-clock milliseconds, compared across processes (and machines: keep their clocks synced). */
    private static long liveSince() {
        return System.currentTimeMillis() - EXPIRY.toMillis();
    }

    private void beatLoop() {
        while (!closed) {
            try {
                Thread.sleep(BEAT.toMillis());
                beat();
                List<String> left = reap();
                if (!left.isEmpty()) offline.accept(left);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                // the database is away: the next beat tries again (others may take this process for gone meanwhile)
                LOG.warn("presence across server processes not kept up to date: {}", e.getMessage());
            }
        }
    }

    private void beat() {
        long now = System.currentTimeMillis();
        db.write(c -> ServerDatabase.update(c, "INSERT INTO live_processes(origin, seen_at) VALUES(?,?)"
                + " ON CONFLICT(origin) DO UPDATE SET seen_at = excluded.seen_at", origin, now));
    }

    /**
     * Removes the rows of processes that stopped beating; returns the users they leave with no connection on any
     * live process. The rows are deleted once, by whichever process gets there first: only it announces.
     */
    private List<String> reap() {
        return db.write(c -> {
            List<String> dead = ServerDatabase.queryStrings(c,
                    "SELECT origin FROM live_processes WHERE seen_at <= ? AND origin <> ?", liveSince(), origin);
            Set<String> offlineNow = new LinkedHashSet<>();
            for (String process : dead) {
                List<String> left = ServerDatabase.queryStrings(c,
                        "DELETE FROM live_presence WHERE origin=? RETURNING user_uuid", process);
                ServerDatabase.update(c, "DELETE FROM live_processes WHERE origin=?", process);
                for (String user : left) {
                    lockUser(c, user);
                    if (!heldBesides(c, user, process)) offlineNow.add(user);
                }
            }
            return List.copyOf(offlineNow);
        });
    }

    /**
     * Stops beating and leaves this process's rows to the others, at once: its heartbeat is set in the past, so the
     * next beat of another process reaps it and announces its users offline (those with no connection elsewhere).
     */
    @Override
    public void close() {
        closed = true;
        beat.interrupt();
        try {
            beat.join(5_000); // a beat still being written would otherwise land after the hand-over below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.write(c -> ServerDatabase.update(c, "UPDATE live_processes SET seen_at = 0 WHERE origin=?", origin));
        } catch (RuntimeException e) {
            LOG.debug("could not hand this process's presence over: {}", e.toString());
        }
    }
}
