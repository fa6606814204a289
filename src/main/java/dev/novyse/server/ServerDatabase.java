package dev.novyse.server;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.io.PrivateFiles;
import dev.novyse.server.db.Dialect;
import dev.novyse.server.db.Engine;
import dev.novyse.server.db.PostgresEngine;
import dev.novyse.server.db.PostgresUrl;
import dev.novyse.server.db.SqliteEngine;
import dev.novyse.server.live.LiveFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's store: transactions on an {@link Engine} (SQLite, the embedded default, or PostgreSQL), reads beside
 * the writes on connections of their own. Per-chat and per-user ids stay dense because each is taken from its counter
 * row by {@code UPDATE ... SET n = n + 1} in the transaction that writes the row it numbers. On SQLite, one write at a
 * time behind one lock (it has one writer anyway); on PostgreSQL, writes run at once on connections of their own, and
 * the counter row's lock serialises the transactions that number the same chat or user, in this process and others.
 * Work registered during a transaction runs only after it committed (live fan-out must never announce a write that
 * rolled back). Announcements go out in commit order: on SQLite on one announcing thread (a request does not wait for
 * its fan-out to every member's socket: it took 32 ms at 1,000 members, LiveBenchmark), on PostgreSQL through
 * {@link LiveFrames}, numbered per chat or user.
 * A database that cannot be reached answers a request with 503 ({@code DATABASE_UNAVAILABLE}); its transaction
 * rolled back whole, and the next request tries again.
 */
public final class ServerDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDatabase.class);
    /**
     * PostgreSQL connections per process: requests beyond it wait for one (up to five seconds, then 503). Sixteen
     * keeps two cores' worth of transactions in flight while some wait on a counter row; the database's
     * {@code max_connections} must cover every process's sixteen, plus one each for its live listener.
     */
    static final int POSTGRES_CONNECTIONS = 16;

    private final Engine engine;
    /** SQLite's one writing connection: one write transaction at a time. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The write transaction this thread is in, if any. */
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    /** A write transaction under way: its connection and what waits for its commit. */
    private static final class Tx {
        Connection connection;
        final List<Runnable> afterCommit = new ArrayList<>();
        /** {@link Announcement}s on SQLite, {@link LiveFrames}' frames on PostgreSQL. */
        final List<Object> announcements = new ArrayList<>();
    }

    private LiveFeed feed;
    /** Live events across processes; only on PostgreSQL. */
    private LiveFrames frames;
    private ProcessPresence presence;
    /** Tries of a write transaction that conflicts with another process's (PostgreSQL). */
    static final int TRIES = 5;
    private final ExecutorService announcer =
            Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-announce"));

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private ServerDatabase(Engine engine) {
        this.engine = engine;
    }

    /** The SQLite store in {@code file}, made private to its owner first. */
    public static ServerDatabase open(Path file) {
        try {
            // Every user's messages and session secrets: private whatever the umask, and closed again if an older
            // version left them open; before SQLite opens the file, whose -wal and -shm journals take its mode.
            closeOrWarn(PrivateFiles.directories(file.toAbsolutePath().getParent()));
            closeOrWarn(PrivateFiles.file(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create server database " + file + ": " + e.getMessage(), e);
        }
        try {
            return migrated(SqliteEngine.open(file));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open server database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The PostgreSQL database at {@code url}, brought to this server's schema. */
    public static ServerDatabase open(PostgresUrl url) {
        try {
            return migrated(PostgresEngine.open(url, POSTGRES_CONNECTIONS));
        } catch (SQLException e) {
            // PostgreSQL's own words for a refused sign-in start with its severity, which says nothing to a person.
            String reason = String.valueOf(e.getMessage()).replaceFirst("^FATAL: ", "");
            throw new IllegalStateException("cannot open server database " + url.redacted() + ": " + reason, e);
        }
    }

    private static ServerDatabase migrated(Engine engine) throws SQLException {
        try {
            Connection c = engine.beginWrite();
            boolean broken = true;
            try {
                ServerSchema.migrate(c, engine.dialect());
                broken = false;
            } finally {
                engine.endWrite(c, broken);
            }
            return new ServerDatabase(engine);
        } catch (SQLException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Runs {@code work} in one transaction; on any exception everything is rolled back. Called inside another
     * {@code write} on the same thread ({@link InProcessCalls#inOneTransaction}), it is part of that transaction.
     */
    public <T> T write(Work<T> work) {
        Tx outer = current.get();
        if (outer != null) {
            try {
                return work.run(outer.connection);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        boolean oneWriter = engine.dialect() == Dialect.SQLITE;
        if (oneWriter) lock.lock();
        Tx tx;
        T result;
        try {
            for (int attempt = 1; ; attempt++) {
                tx = new Tx();
                current.set(tx);
                boolean broken = true;
                try {
                    tx.connection = engine.beginWrite();
                    result = work.run(tx.connection);
                    tx.connection.commit();
                    broken = false;
                    break;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(tx);
                    SQLException sql = sqlCause(e);
                    if (sql != null && engine.conflict(sql) && attempt < TRIES) continue; // the whole work again
                    if (e instanceof RuntimeException re) throw re;
                    throw failure((SQLException) e);
                } finally {
                    current.remove();
                    if (tx.connection != null) engine.endWrite(tx.connection, broken);
                }
            }
            if (!tx.announcements.isEmpty()) {
                // Handed on before SQLite's lock is released: announcements leave in commit order.
                List<Object> batch = List.copyOf(tx.announcements);
                if (frames != null) frames.committed(batch);
                else queue(batch);
            }
        } finally {
            if (oneWriter) lock.unlock();
        }
        for (Runnable r : tx.afterCommit) {
            r.run();
        }
        return result;
    }

    /** The SQL failure in {@code e}'s causes (a nested write wraps it), or null. */
    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) return s;
        }
        return null;
    }

    /** A 503 when the database could not be reached, else the failure as it is (a 500 with no detail). */
    private RuntimeException failure(SQLException e) {
        if (engine.unreachable(e)) {
            engine.lostConnections();
            return new ApiError(503, "DATABASE_UNAVAILABLE", "the server's database cannot be reached; try again shortly");
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    private void queue(List<Object> batch) {
        try {
            announcer.execute(() -> {
                for (Object o : batch) {
                    try {
                        Announcement a = (Announcement) o;
                        feed.toUsers(a.to(), a.event(), a.payload());
                    } catch (RuntimeException e) {
                        LOG.warn("a live announcement failed: {}", e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            // the server is closing: clients fetch the change with their next update
        }
    }

    /**
     * Runs {@code work} on a read-only connection in one transaction, so a multi-query reply is one consistent
     * snapshot: the commits made before its first query, none made meanwhile. Called inside a {@link #write} on the
     * same thread, it runs there instead and sees that transaction's own rows.
     */
    public <T> T read(Work<T> work) {
        if (current.get() != null) return write(work);
        Connection c;
        try {
            c = engine.beginRead();
        } catch (SQLException e) {
            throw failure(e);
        }
        boolean broken = true;
        try {
            T result = work.run(c);
            broken = false;
            return result;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            engine.endRead(c, broken);
        }
    }

    /** Where live events go: this process's sockets (and, on PostgreSQL, through the database to the others'). */
    void deliverTo(LiveFeed feed) {
        this.feed = feed;
        if (engine instanceof PostgresEngine pg) {
            frames = new LiveFrames(this, pg, feed);
            presence = new ProcessPresence(this, frames.origin());
        }
    }

    /**
     * This process's first connection of {@code user} opened ({@code online}) or its last one closed: whether the
     * user's presence changes, which on PostgreSQL also needs no other process to hold a connection of theirs.
     */
    boolean presenceChanges(String user, boolean online) {
        return presence == null || presence.changes(user, online);
    }

    /**
     * Which of {@code users} have a live connection on any server process sharing the PostgreSQL database (this
     * one's included); on SQLite, one process alone, none are known here: the gateway knows its own connections.
     */
    Set<String> connectedOnAnyProcess(Connection c, List<String> users) throws SQLException {
        return presence == null ? Set.of() : ProcessPresence.held(c, users);
    }

    /** Where the users a dead server process leaves with no connection anywhere are announced offline. */
    void whenLeftOffline(Consumer<List<String>> announce) {
        if (presence != null) presence.whenLeftOffline(announce);
    }

    /**
     * Registers a live announcement of the current transaction's change: made once the transaction has committed,
     * after every announcement of earlier commits of its scope (on PostgreSQL, on every process); only valid inside
     * {@link #write}.
     */
    public void announce(Announcement a) {
        Tx tx = current.get();
        if (tx == null) {
            throw new IllegalStateException("announce outside a transaction");
        }
        if (frames == null) {
            tx.announcements.add(a);
            return;
        }
        try {
            tx.announcements.add(frames.record(tx.connection, a));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Presence or typing, which is not stored: to the users' sockets now, on every process. */
    void relay(List<String> to, String event, Object payload) {
        if (frames != null) frames.relay(to, event, payload);
        else feed.toUsers(to, event, payload);
    }

    /** A PostgreSQL notification on {@code channel}, outside any transaction. */
    void notifyProcesses(String channel, String payload) {
        Connection c = null;
        boolean broken = true;
        try {
            c = engine.beginWrite();
            queryString(c, "SELECT pg_notify(?, ?)", channel, payload);
            c.commit();
            broken = false;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            if (c != null) engine.endWrite(c, broken);
        }
    }

    /**
     * Registers work to run on this thread once the current transaction has committed (removing a deleted
     * message's file bytes); only valid inside {@link #write}.
     */
    public void afterCommit(Runnable r) {
        Tx tx = current.get();
        if (tx == null) {
            throw new IllegalStateException("afterCommit outside a transaction");
        }
        tx.afterCommit.add(r);
    }

    private static void rollbackQuietly(Tx tx) {
        if (tx.connection == null) return;
        try {
            tx.connection.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the connection
        }
    }

    @Override
    public void close() {
        if (presence != null) presence.close();
        if (frames != null) frames.close();
        announcer.shutdownNow();
        lock.lock();
        try {
            engine.close();
        } finally {
            lock.unlock();
        }
    }

    // Small JDBC helpers shared by the repositories.

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static Long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
            return null;
        }
    }

    /** A nullable integer column (its Java type differs between the engines: Integer in SQLite, Long in PostgreSQL). */
    static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static String queryString(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static List<String> queryStrings(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * A folder the server did not create may belong to someone else (a {@code --data-dir} of another owner's, a
     * mount that refuses modes): the server still starts there, and says so.
     */
    static void closeOrWarn(Path p) {
        if (!PrivateFiles.close(p)) LOG.warn("cannot make {} private to its owner", p);
    }
}
