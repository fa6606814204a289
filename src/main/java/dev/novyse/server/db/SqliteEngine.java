package dev.novyse.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * SQLite, the embedded default: one writing connection (SQLite has one writer at a time anyway) and read-only
 * connections beside it. In WAL mode a reader sees the commits made before it began, and neither it nor the writer
 * waits for the other, so a client's initialize of a hundred thousand messages does not hold up everyone's sends.
 */
public final class SqliteEngine implements Engine {
    /** Read-only connections open at most at once: reads past it wait for one (each holds a few MiB of cache). */
    public static final int READERS = 8;

    private final Path file;
    private final Connection writer;
    private final Semaphore readerSlots = new Semaphore(READERS);
    private final Queue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private SqliteEngine(Path file, Connection writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Opens {@code file}, which the caller has made private first (its -wal and -shm journals take its mode). */
    public static SqliteEngine open(Path file) throws SQLException {
        Path absolute = file.toAbsolutePath();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + absolute);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode keeps every commit atomic and durable against process crashes; only an
            // OS crash may roll back the last transactions, which clients re-fetch by cursor.
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA foreign_keys=ON");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new SqliteEngine(absolute, c);
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public Connection beginWrite() throws SQLException {
        writer.setAutoCommit(false);
        return writer;
    }

    @Override
    public void endWrite(Connection c, boolean broken) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is unusable; the next call reports it
        }
    }

    @Override
    public Connection beginRead() throws SQLException {
        readerSlots.acquireUninterruptibly();
        Connection c = idleReaders.poll();
        try {
            if (c == null) c = openReader();
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            readerSlots.release();
            throw e;
        }
    }

    @Override
    public void endRead(Connection c, boolean broken) {
        try {
            if (!broken) {
                c.rollback(); // a read has nothing to commit; this ends its snapshot
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            broken = true;
        }
        if (broken || closed) closeQuietly(c); // opened again when next needed
        else idleReaders.add(c);
        readerSlots.release();
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

    @Override
    public boolean unreachable(SQLException e) {
        return false; // a file: what fails is a statement or the disk, not a connection
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idleReaders.poll()) != null; ) closeQuietly(c); // readers in use close as they end
        closeQuietly(writer);
    }

    static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
