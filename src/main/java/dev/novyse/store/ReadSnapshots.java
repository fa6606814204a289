package dev.novyse.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Consistent reads of the store for work that reads much of it at once (an export): each {@link #read} and each
 * {@link #share} sees one snapshot, no commit made meanwhile (by this process or another) half in it. {@link #read}
 * reads on the store's own connection; {@link #share} hands out several read-only connections that all see the same
 * snapshot, for work shared out over threads. {@link LocalDatabase#readSnapshots} hands one out while it holds the
 * store's lock, so the store's connection is the work's alone; export code reads the store through nothing else.
 */
public final class ReadSnapshots {
    /** Work done with consistent reads of the store. */
    @FunctionalInterface
    public interface Work<T> {
        T run(ReadSnapshots snapshots) throws IOException, SQLException;
    }

    /** What is read on one connection inside one read transaction. */
    @FunctionalInterface
    public interface Reading<T> {
        T read(Connection conn) throws IOException, SQLException;
    }

    /** Opens another connection to the same database file, for a parallel reader. */
    @FunctionalInterface
    public interface Readers {
        Connection open() throws SQLException;
    }

    /**
     * Reader connections that all see one snapshot, each inside its read transaction, and what was read on the
     * store's connection in that same snapshot before they opened. Closing closes the readers (ending their
     * snapshots).
     */
    public record Shared<P>(P before, List<Connection> readers) implements AutoCloseable {
        @Override
        public void close() {
            closeAll(readers);
        }
    }

    private final Connection conn;
    private final Readers readers;

    /**
     * Over {@code conn}, which must not be inside a transaction and is used by nothing else meanwhile;
     * {@code readers} opens the connections {@link #share} hands out. {@link LocalDatabase} makes one of its own
     * connection; tests make one over a connection of theirs.
     */
    public ReadSnapshots(Connection conn, Readers readers) {
        this.conn = conn;
        this.readers = readers;
    }

    /**
     * Runs {@code reading} on the store's connection inside one read transaction. A failure to end the transaction
     * is added to the reading's own failure when there is one, else thrown.
     */
    public <T> T read(Reading<T> reading) throws IOException, SQLException {
        exec(conn, "BEGIN");
        Throwable failure = null;
        try {
            return reading.read(conn);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            end(conn, failure);
        }
    }

    /**
     * Opens readers that all see one snapshot: {@code before} is read on the store's connection while it holds the
     * write lock, then {@code count(before)} readers each take their snapshot (their first read) while it still
     * does, so no commit can land between them; the lock is released before this returns. Null when that cannot be
     * had (the lock is busy beyond a moment, the file is read-only, a reader fails to open): the caller then reads
     * alone, with {@link #read}, as it would have before.
     */
    public <P> Shared<P> share(Reading<P> before, ToIntFunction<P> count) throws IOException, SQLException {
        if (!beginImmediate(conn)) return null;
        List<Connection> opened = new ArrayList<>();
        Shared<P> shared = null;
        try {
            P read = before.read(conn);
            int n = count.applyAsInt(read);
            for (int k = 0; k < n; k++) {
                Connection c = readers.open();
                opened.add(c);
                exec(c, "BEGIN");
                firstRead(c); // takes the snapshot, while conn still keeps every writer out
            }
            shared = new Shared<>(read, opened);
        } catch (SQLException e) {
            return null;
        } finally {
            try {
                end(conn, null);
            } finally {
                if (shared == null) closeAll(opened);
            }
        }
        return shared;
    }

    /** Any read of the database file starts a read transaction's snapshot; the schema table is always there. */
    private static void firstRead(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rs.next();
        }
    }

    /** BEGIN IMMEDIATE, waiting a moment at most: a sync holding the lock longer is not worth waiting for. */
    private static boolean beginImmediate(Connection conn) throws SQLException {
        long timeout;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
            timeout = rs.next() ? rs.getLong(1) : 0;
        }
        exec(conn, "PRAGMA busy_timeout=" + Math.min(timeout, 100));
        try {
            exec(conn, "BEGIN IMMEDIATE");
            return true;
        } catch (SQLException e) {
            return false; // busy, or a read-only file: read alone
        } finally {
            exec(conn, "PRAGMA busy_timeout=" + timeout);
        }
    }

    /** Ends a read transaction; a failure to do so is added to {@code failure} when there is one, else thrown. */
    private static void end(Connection conn, Throwable failure) throws SQLException {
        try {
            exec(conn, "COMMIT");
        } catch (SQLException e) {
            try {
                exec(conn, "ROLLBACK");
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            if (failure == null) throw e;
            failure.addSuppressed(e);
        }
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private static void closeAll(List<Connection> conns) {
        for (Connection c : conns) {
            try {
                c.close(); // ends its read transaction
            } catch (SQLException ignored) {
                // nothing was written through it; closing is all that is left
            }
        }
    }
}
