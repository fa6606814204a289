package dev.novyse.server;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.io.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's SQLite store: one writing connection behind one lock, and read-only connections for reads. SQLite has
 * one writer at a time anyway, and the lock is what makes per-chat and per-user event ids dense: an id is taken and
 * its row written under it. Reads ({@link #read}) run on connections of their own, each in a transaction of its own
 * (WAL: a reader sees the commits made before it began, and neither it nor the writer waits for the other), so a
 * client's initialize of a hundred thousand messages does not hold up everyone else's sends.
 * Work registered during a transaction runs only after it committed (live fan-out must never announce a write that
 * rolled back). Announcements run on one announcing thread, in commit order: a request does not wait for its fan-out to
 * every member's socket (it took 32 ms at 1,000 members, LiveBenchmark), and two requests' announcements cannot overtake
 * each other, as they could when each request's thread ran its own after the lock was released.
 */
public final class ServerDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDatabase.class);
    /** Read-only connections open at most at once: reads past it wait for one (each holds a few MiB of cache). */
    static final int READERS = 8;

    private final Connection connection;
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Semaphore readerSlots = new Semaphore(READERS);
    private final Queue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> announcements = new ArrayList<>();
    private final ExecutorService announcer =
            Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-announce"));

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private ServerDatabase(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    public static ServerDatabase open(Path file) {
        try {
            // Every user's messages and session secrets: private whatever the umask, and closed again if an older
            // version left them open; before SQLite opens the file, whose -wal and -shm journals take its mode.
            closeOrWarn(PrivateFiles.directories(file.toAbsolutePath().getParent()));
            closeOrWarn(PrivateFiles.file(file));
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL in WAL mode keeps every commit atomic and durable against process crashes; only an
                // OS crash may roll back the last transactions, which clients re-fetch by cursor.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            ServerDatabase db = new ServerDatabase(c, file.toAbsolutePath());
            ServerSchema.migrate(c);
            return db;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open server database " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create server database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction; on any exception everything is rolled back. Called inside another
     * {@code write} on the same thread ({@link InProcessCalls#inOneTransaction}), it is part of that transaction.
     */
    public <T> T write(Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            }
        }
        List<Runnable> callbacks;
        T result;
        lock.lock();
        try {
            try {
                connection.setAutoCommit(false);
                result = work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                afterCommit.clear();
                announcements.clear();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("database error: " + e.getMessage(), e);
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // connection is unusable; the next call reports it
                }
            }
            callbacks = new ArrayList<>(afterCommit);
            afterCommit.clear();
            if (!announcements.isEmpty()) {
                // Queued before the lock is released: the announcer runs batches in commit order.
                List<Runnable> batch = List.copyOf(announcements);
                announcements.clear();
                queue(batch);
            }
        } finally {
            lock.unlock();
        }
        for (Runnable r : callbacks) {
            r.run();
        }
        return result;
    }

    private void queue(List<Runnable> batch) {
        try {
            announcer.execute(() -> {
                for (Runnable r : batch) {
                    try {
                        r.run();
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
        if (lock.isHeldByCurrentThread()) return write(work);
        readerSlots.acquireUninterruptibly();
        Connection c = idleReaders.poll();
        try {
            if (c == null) c = openReader();
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback(); // a read has nothing to commit; this ends its snapshot
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeQuietly(c); // opened again when next needed
            c = null;
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        } finally {
            if (c != null && !closed) idleReaders.add(c);
            else closeQuietly(c);
            readerSlots.release();
        }
    }

    private Connection openReader() throws SQLException {
        if (closed) throw new SQLException("the database is closed");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA query_only=1");
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // a reader holds no writes
        }
    }

    /**
     * Registers a live announcement of the current transaction's change: made on the announcing thread once the
     * transaction has committed, after every announcement of earlier commits; only valid inside {@link #write}.
     */
    public void announce(Runnable r) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("announce outside a transaction");
        }
        announcements.add(r);
    }

    /**
     * Registers work to run on this thread once the current transaction has committed (removing a deleted
     * message's file bytes); only valid inside {@link #write}.
     */
    public void afterCommit(Runnable r) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("afterCommit outside a transaction");
        }
        afterCommit.add(r);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the connection
        }
    }

    @Override
    public void close() {
        closed = true;
        announcer.shutdownNow();
        for (Connection c; (c = idleReaders.poll()) != null; ) closeQuietly(c); // readers in use close as they end
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
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
