package dev.novyse.store;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opening the SQLite file of a store: created private (0600 in a 0700 folder) before SQLite touches it, set up
 * (WAL, synchronous, busy timeout, foreign keys), migrated to the schema this version writes, and a failure told
 * as what it means for the user (not SQLite's code).
 */
final class DatabaseFile {
    private DatabaseFile() {}

    /** The store's own connection to {@code file}, migrated up to {@code targetVersion}. */
    static Connection open(Path file, int targetVersion) {
        createPrivately(file);
        Connection conn;
        try {
            conn = connect(file);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + StoreException.oneLine(e), e);
        }
        try {
            configure(conn, file);
            Migrator.migrate(conn, file, targetVersion);
            return conn;
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        // The driver otherwise matches a regex against every statement it runs and, after each INSERT,
        // prepares and runs "SELECT last_insert_rowid()" for getGeneratedKeys(), which this store never calls.
        java.util.Properties props = new java.util.Properties();
        props.setProperty("jdbc.get_generated_keys", "false");
        return DriverManager.getConnection("jdbc:sqlite:" + file, props);
    }

    /** Creates parent dirs (0700) and the file (0600) before SQLite opens it, so it is never world-readable. */
    private static void createPrivately(Path file) {
        try {
            Path parent = file.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                PrivateFiles.directories(parent);
            }
            PrivateFiles.file(file); // another process may create it first; then it is kept as it is
        } catch (IOException e) {
            throw new StoreException("cannot create " + file + ": " + StoreException.oneLine(e), e);
        }
    }

    private static void configure(Connection conn, Path file) {
        try (Statement st = conn.createStatement()) {
            // The first statement reads the header: a file that is not SQLite fails here with SQLITE_NOTADB.
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
                rs.next();
            }
            // WAL + NORMAL: a commit is atomic and survives a crash of the process (invariant 1); only a power
            // loss may drop the last few commits, never corrupt the file. Those commits carry their cursors, so
            // the next sync simply fetches them again. FULL would fsync every batch for no gain in correctness.
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("PRAGMA foreign_keys=ON");
        } catch (SQLException e) {
            throw openError(file, e);
        }
    }

    static StoreException openError(Path file, SQLException e) {
        String msg = StoreException.oneLine(e);
        if (msg.contains("SQLITE_NOTADB") || msg.contains("not a database")) {
            return new StoreException(file + " is not a novyse database (not an SQLite file)", e);
        }
        if (msg.contains("SQLITE_CORRUPT")) {
            return new StoreException(file + " is damaged (SQLite reports corruption)", e);
        }
        return new StoreException("cannot open " + file + ": " + msg, e);
    }

    /** Another connection to this file that only reads, for work shared out over threads. */
    static Connection openReader(Path file) throws SQLException {
        Connection c = connect(file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("PRAGMA query_only=1");
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to save
        }
    }
}
