package dev.novyse.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;

/**
 * PostgreSQL, for more than one server process: a HikariCP pool of connections, all in auto-commit off (no round trip
 * to switch it per transaction). Writes run at READ COMMITTED, where {@code UPDATE ... SET n = n + 1} waits for another
 * process's uncommitted bump of the same row and then reads its result: the counter rows that number messages and
 * events stay dense across processes. Reads run in a REPEATABLE READ, READ ONLY transaction: one snapshot per reply.
 */
public final class PostgresEngine implements Engine {
    private final HikariDataSource pool;
    private final PostgresUrl url;

    private PostgresEngine(HikariDataSource pool, PostgresUrl url) {
        this.pool = pool;
        this.url = url;
    }

    /**
     * Connects to {@code url} with at most {@code connections} connections; fails at once (no retrying) when the
     * database cannot be reached or refuses the credentials, with the driver's reason.
     */
    public static PostgresEngine open(PostgresUrl url, int connections) throws SQLException {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("novyse-postgresql");
        cfg.setJdbcUrl(url.jdbcUrl());
        cfg.setUsername(url.user());
        if (url.password() != null) cfg.setPassword(url.password());
        cfg.setAutoCommit(false);
        cfg.setMaximumPoolSize(connections);
        cfg.setMinimumIdle(1);
        // A request waits this long for a connection when the database is away, then gets a 503.
        cfg.setConnectionTimeout(5_000);
        cfg.addDataSourceProperty("ApplicationName", "novyse serve");
        try {
            return new PostgresEngine(new HikariDataSource(cfg), url);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) throw sql;
            throw new SQLException(cause == null ? e.getMessage() : cause.getMessage(), "08001", e);
        }
    }

    /**
     * A connection of its own, outside the pool, in auto-commit: for a session that lives as long as the process
     * (LISTEN), which a pooled connection must not be held for.
     */
    public Connection dedicatedConnection() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", url.user());
        if (url.password() != null) props.setProperty("password", url.password());
        props.setProperty("ApplicationName", "novyse serve (live)");
        return java.sql.DriverManager.getConnection(url.jdbcUrl(), props);
    }

    @Override
    public boolean conflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                // 40001: serialization failure; 40P01: deadlock (two processes took counter rows in opposite
                // orders); 23505: a unique key another process's concurrent transaction took first (a tempId sent
                // twice at once): the second try reads what that one committed and answers as a retry would.
                if (s.getSQLState().equals("40001") || s.getSQLState().equals("40P01")
                        || s.getSQLState().equals("23505")) return true;
            }
        }
        return false;
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public Connection beginWrite() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void endWrite(Connection c, boolean broken) {
        closeQuietly(c); // back to the pool, which rolls back anything left open and drops broken connections
    }

    @Override
    public Connection beginRead() throws SQLException {
        Connection c = pool.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    public void endRead(Connection c, boolean broken) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the pool replaces a connection that broke
        }
        closeQuietly(c);
    }

    @Override
    public void lostConnections() {
        // The pool hands out a connection used in the last half second without checking it: after an outage that
        // was one the network had reset, and the first request once the database was back got a 503 (seen under
        // load in PostgresOutageTest). Idle ones close now, busy ones when returned; new ones are made as needed.
        var bean = pool.getHikariPoolMXBean();
        if (bean != null) bean.softEvictConnections();
    }

    @Override
    public boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true; // no connection within the timeout
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exceptions; 57P01-03: the server is shutting down or starting; 53300: too many
                // connections.
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool replaces it
        }
    }
}
