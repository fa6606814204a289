package dev.novyse.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings a database to a schema version. Each migration runs with its {@code user_version} bump in one
 * transaction, so a crash mid-upgrade leaves the previous version intact and the next open retries it.
 */
final class Migrator {
    private Migrator() {}

    static void migrate(Connection conn, Path file, int target) {
        int current = userVersion(conn, file);
        if (current > Migrations.latest()) {
            throw new StoreException(file + " was written by a newer novyse (schema version " + current
                    + ", this one knows up to " + Migrations.latest() + "); upgrade novyse", null, true);
        }
        for (Migration m : Migrations.ALL) {
            if (m.version() <= current || m.version() > target) continue;
            apply(conn, file, m);
        }
    }

    private static void apply(Connection conn, Path file, Migration m) {
        try (Statement st = conn.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                // Another process may have migrated while we waited for the write lock.
                int now;
                try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    now = rs.next() ? rs.getInt(1) : 0;
                }
                if (now < m.version()) {
                    for (String sql : m.statements()) st.execute(sql);
                    st.execute("PRAGMA user_version = " + m.version());
                }
                st.execute("COMMIT");
            } catch (SQLException e) {
                try {
                    st.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // already rolled back by SQLite
                }
                throw e;
            }
        } catch (SQLException e) {
            StoreException open = DatabaseFile.openError(file, e);
            if (open.unusable()) throw open;
            throw new StoreException("cannot upgrade " + file + " to schema version " + m.version() + " ("
                    + m.description() + "): " + StoreException.oneLine(e), e);
        }
    }

    static int userVersion(Connection conn, Path file) {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw DatabaseFile.openError(file, e);
        }
    }
}
