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
 */
public final class Tx {
    private final Connection conn;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private boolean open = true;

    Tx(Connection conn) {
        this.conn = conn;
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of changed rows. */
    public int update(String sql, Object... args) {
        try {
            PreparedStatement ps = prepare(sql);
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("local database write failed: " + StoreException.oneLine(e), e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public Object queryValue(String sql, Object... args) {
        try {
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

    Connection connection() {
        return conn;
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

    void close() {
        open = false;
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
