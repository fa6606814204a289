package dev.novyse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An open write transaction on the local database. Only {@link LocalDatabase#inTransaction} creates one; it is
 * valid until that call returns. Prepared statements are cached for the transaction's life because a sync page
 * runs the same few statements thousands of times.
 *
 * <p>Writes whose row count nobody reads can be queued with {@link #queue}: a run of the same statement then goes
 * to SQLite as one JDBC batch, which costs about two thirds of one {@code executeUpdate} per row (a sync page's
 * message rows: docs/benchmarks.md). The queue keeps the order of the calls: it runs before any other statement of
 * this transaction, before a different statement is queued, and before the transaction commits; a failing row fails
 * that next call, and the transaction rolls back as for any failed write.
 *
 * <p>The rows that hang off a queued row (a message's reads, reactions and replies) go behind the queue with
 * {@link #queueChild}, so they do not end its run: before, every message that carried a read ran its row on its
 * own, a batch of one. They run right after the queue's rows, whenever the queue runs.
 */
public final class Tx {
    /** Rows queued before the queue runs on its own: bounds the memory a long run of one statement holds. */
    private static final int MAX_QUEUED = 1000;

    private final Connection conn;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private boolean open = true;
    private PreparedStatement queued;
    /** Statements with child rows behind the queue, in the order of their first row. */
    private final List<PreparedStatement> children = new ArrayList<>();
    private int queuedRows;

    Tx(Connection conn) {
        this.conn = conn;
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of changed rows. */
    public int update(String sql, Object... args) {
        try {
            runQueue();
            PreparedStatement ps = prepare(sql);
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("local database write failed: " + StoreException.oneLine(e), e);
        }
    }

    /**
     * Queues an INSERT/UPDATE/DELETE to run later in this transaction, in call order (see the class comment); for
     * writes whose row count is not needed.
     */
    public void queue(String sql, Object... args) {
        try {
            PreparedStatement ps = prepare(sql);
            if (queued != ps || children.contains(ps)) runQueue();
            bind(ps, args);
            ps.addBatch();
            queued = ps;
            if (++queuedRows >= MAX_QUEUED) runQueue();
        } catch (SQLException e) {
            throw new StoreException("local database write failed: " + StoreException.oneLine(e), e);
        }
    }

    /**
     * Queues a write behind the queue without ending its run: it runs after every row queued so far and after the
     * child rows queued before it. Only for rows that need the queued rows first (a foreign key to them) and are
     * unaffected by the queued rows that come after them — INSERT OR IGNORE of a message's child rows behind message
     * upserts — since rows queued later by {@link #queue} run before it.
     */
    public void queueChild(String sql, Object... args) {
        try {
            PreparedStatement ps = prepare(sql);
            if (ps == queued) runQueue();
            bind(ps, args);
            ps.addBatch();
            if (!children.contains(ps)) children.add(ps);
            if (++queuedRows >= MAX_QUEUED) runQueue();
        } catch (SQLException e) {
            throw new StoreException("local database write failed: " + StoreException.oneLine(e), e);
        }
    }

    /** Runs the queued writes now (a no-op when none are queued). */
    void runQueue() throws SQLException {
        if (queuedRows == 0) return;
        PreparedStatement ps = queued;
        List<PreparedStatement> behind = List.copyOf(children);
        queued = null;
        children.clear();
        queuedRows = 0;
        if (ps != null) runBatch(ps);
        for (PreparedStatement child : behind) runBatch(child);
    }

    private static void runBatch(PreparedStatement ps) throws SQLException {
        try {
            ps.executeBatch();
        } catch (java.sql.BatchUpdateException e) {
            // sqlite-jdbc reports the failing row's own error as the cause, or in the message
            throw e.getCause() instanceof SQLException cause ? cause : e;
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public Object queryValue(String sql, Object... args) {
        try {
            runQueue();
            PreparedStatement ps = prepare(sql);
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        }
    }

    public long queryLong(String sql, long whenNull, Object... args) {
        Object v = queryValue(sql, args);
        if (v == null) return whenNull;
        if (v instanceof Number n) return n.longValue();
        return Long.parseLong(v.toString());
    }

    public boolean exists(String sql, Object... args) {
        return queryValue(sql, args) != null;
    }

    /** Rows as lists of column values, for small lookups. */
    public List<Object[]> queryRows(String sql, Object... args) {
        try {
            runQueue();
            PreparedStatement ps = prepare(sql);
            bind(ps, args);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) row[i] = rs.getObject(i + 1);
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        }
    }

    /** Runs the queued writes before the transaction commits. */
    void finish() {
        try {
            runQueue();
        } catch (SQLException e) {
            throw new StoreException("local database write failed: " + StoreException.oneLine(e), e);
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        if (!open) throw new IllegalStateException("transaction already finished");
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
            else ps.setObject(i + 1, a);
        }
    }

    /** Ends the transaction's statements; rows still queued are dropped (the caller rolls back). */
    void close() {
        open = false;
        queued = null;
        children.clear();
        queuedRows = 0;
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a cached statement cannot lose data
            }
        }
        cache.clear();
    }
}
