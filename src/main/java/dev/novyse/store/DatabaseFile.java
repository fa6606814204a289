package dev.novyse.store;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteException;

/**
 * Opening the SQLite file of a store: created private (0600 in a 0700 folder) before SQLite touches it, set up
 * (WAL, synchronous, busy timeout, foreign keys), migrated to the schema this version writes, and a failure told
 * as what it means for the user (not SQLite's code).
 */
final class DatabaseFile {
    private DatabaseFile() {}

    /** The store's own connection to {@code file}, migrated up to {@code targetVersion}. */
    static Connection open(Path file, int targetVersion) {
        refuseCutShort(file);
        createPrivately(file);
        Connection conn;
        try {
            conn = connect(file);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + StoreException.oneLine(e), e);
        }
        try {
            conn = configured(conn, file);
            Migrator.migrate(conn, file, targetVersion);
            return conn;
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    /**
     * Set up for WAL, which needs room for SQLite's shared-memory file beside the store. On a full disk there is
     * none (SQLITE_IOERR_SHMSIZE), and yet the store can still be read: in EXCLUSIVE locking mode SQLite keeps the
     * WAL index in memory and needs no such file. The connection then holds the file's lock for its life (other
     * processes wait for it), which costs nothing while nothing can be written anyway; chats and export go on.
     */
    private static Connection configured(Connection conn, Path file) {
        try {
            configure(conn, file);
            return conn;
        } catch (StoreException e) {
            if (!noRoomForSharedMemory(e)) throw e;
        }
        closeQuietly(conn);
        try {
            conn = connect(file);
        } catch (SQLException again) {
            throw openError(file, again);
        }
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA locking_mode=EXCLUSIVE");
        } catch (SQLException again) {
            closeQuietly(conn);
            throw openError(file, again);
        }
        try {
            configure(conn, file);
            return conn;
        } catch (RuntimeException again) {
            closeQuietly(conn);
            throw again;
        }
    }

    private static boolean noRoomForSharedMemory(StoreException e) {
        SQLiteException se = StoreException.sqlite(e);
        if (se == null) return false;
        int primary = se.getResultCode().code & 0xff;
        String name = se.getResultCode().name();
        return primary == 13 || name.endsWith("SHMSIZE") || name.endsWith("SHMOPEN");
    }

    /** Whether {@code conn} holds its file's lock for its life (the full-disk fallback): no other reader can open. */
    static boolean exclusive(Connection conn) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA locking_mode")) {
            return rs.next() && "exclusive".equalsIgnoreCase(rs.getString(1));
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * A file shorter than its header says was cut short (a copy stopped midway, a full disk, a truncation): SQLite
     * would open it and fail only on the first query that reaches a missing page, possibly halfway through a command.
     * The header's page count is trusted only when SQLite marks it valid, and only with no write-ahead log beside the
     * file (after a crash the log may still hold pages a checkpoint had not written yet).
     */
    private static void refuseCutShort(Path file) {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        try {
            if (Files.exists(wal) && Files.size(wal) > 0) return;
        } catch (IOException e) {
            return;
        }
        long expected = headerSize(file);
        if (expected >= 0) {
            throw new StoreException(file + " is damaged: cut short (" + size(file) + " of " + expected + " bytes)",
                    null, true);
        }
    }

    /** The size the header of {@code file} claims when that is valid and more than the file holds, else -1. */
    static long headerSize(Path file) {
        byte[] header = new byte[100];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(header, 0, 100) < 100) return -1;
        } catch (IOException e) {
            return -1; // unreadable: SQLite's own open reports it
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(header);
        int pageSize = b.getShort(16) & 0xffff;
        long pages = b.getInt(28) & 0xffffffffL;
        boolean valid = b.getInt(24) == b.getInt(92) && pages > 0;
        long expected = pages * (pageSize == 1 ? 65536 : pageSize);
        return valid && size(file) < expected ? expected : -1;
    }

    /**
     * Makes SQLite size {@code file} by its length instead of its header (the header's page count is valid only while
     * the "version valid for" number equals the change counter): what lets a copy of a cut-short file be read.
     */
    static void ignoreHeaderSize(Path file) throws IOException {
        try (var f = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer counter = java.nio.ByteBuffer.allocate(4);
            f.read(counter, 24);
            counter.flip();
            f.write(java.nio.ByteBuffer.allocate(4).putInt(0, ~counter.getInt()), 92);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        // The driver otherwise matches a regex against every statement it runs and, after each INSERT,
        // prepares and runs "SELECT last_insert_rowid()" for getGeneratedKeys(), which this store never calls.
        java.util.Properties props = new java.util.Properties();
        props.setProperty("jdbc.get_generated_keys", "false");
        return driverConnection("jdbc:sqlite:" + file, props);
    }

    /**
     * A connection from the SQLite driver itself, not through {@code DriverManager}: its first use loads and starts
     * every JDBC driver in the jar, the server's PostgreSQL driver too, which no store needs (about 15 ms of a
     * one-shot command's start).
     */
    static Connection driverConnection(String url, java.util.Properties props) throws SQLException {
        return org.sqlite.JDBC.createConnection(url, props);
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
        SQLiteException se = StoreException.sqlite(e);
        int primary = se == null ? 0 : se.getResultCode().code & 0xff;
        if (primary == 26) {
            return new StoreException(file + " is not a novyse database (not an SQLite file)", e, true);
        }
        if (primary == 11) {
            return new StoreException(file + " is damaged", e, true);
        }
        if (primary == 8) {
            return new StoreException(file + " cannot be written (read-only)", e, true);
        }
        return new StoreException("cannot open " + file + ": " + StoreException.oneLine(e), e);
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
