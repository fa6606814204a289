package dev.novyse.server.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the server's transactions run. A write transaction and a read snapshot each take a connection and give it
 * back; the caller commits or rolls back in between. The server's own lock (ServerDatabase) keeps one write at a time
 * per process; across processes (PostgreSQL) the counter rows' locks do.
 */
public interface Engine extends AutoCloseable {
    Dialect dialect();

    /** A connection with auto-commit off, at READ COMMITTED or stricter, for one write transaction. */
    Connection beginWrite() throws SQLException;

    /** Gives back a write connection after its commit or rollback; {@code broken} when it failed mid-way. */
    void endWrite(Connection c, boolean broken);

    /**
     * A connection in a read-only transaction that sees one snapshot: the commits made before its first query and
     * none made meanwhile.
     */
    Connection beginRead() throws SQLException;

    /** Ends the read's transaction and gives the connection back; {@code broken} when it failed mid-way. */
    void endRead(Connection c, boolean broken);

    /**
     * Whether {@code e} is a conflict with another process's concurrent transaction, which a second try of the whole
     * transaction resolves (never on SQLite, where one process is the only writer).
     */
    default boolean conflict(SQLException e) {
        return false;
    }

    /** Whether {@code e} says the database could not be reached (as opposed to a statement it refused). */
    boolean unreachable(SQLException e);

    /**
     * The database could not be reached: the connections held for later are as good as gone (a network path that
     * broke reset them all), so none is handed to a request once it is back. Nothing to do with one file.
     */
    default void lostConnections() {
    }

    @Override
    void close();
}
