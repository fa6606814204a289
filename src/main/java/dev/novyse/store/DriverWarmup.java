package dev.novyse.store;

import dev.novyse.concurrent.DaemonThreads;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite driver's first connection, made ahead on a thread of its own: a one-shot command starts it as the process
 * starts, so that the driver is ready by the time picocli has parsed the command line and the command opens its store
 * ({@code novyse chats} 174 -> 161 ms, medians of 15 interleaved runs; docs/benchmarks.md).
 */
public final class DriverWarmup {
    private DriverWarmup() {
    }

    /** Starts the warm-up; never fails, and the store's own open does not wait for it. */
    public static void startAside() {
        DaemonThreads.start("novyse-prepare-store", DriverWarmup::warmUp);
    }

    /**
     * Opens an in-memory database once and closes it, which loads what every first connection of a JVM loads: the
     * driver and its native library, its statement classes and its default date format (the locale's date symbols).
     */
    private static void warmUp() {
        // The native library first, on its own: when it cannot load, sqlite-jdbc's connection code remembers only
        // that a load was tried (NativeDB.load), and the store's own open would then fail with a bare linkage error
        // instead of the driver's message. The loader itself keeps no failure: the store's open tries again and
        // reports it.
        try {
            if (!org.sqlite.SQLiteJDBCLoader.initialize()) return;
        } catch (Exception | LinkageError e) {
            return;
        }
        try (Connection conn = DatabaseFile.driverConnection("jdbc:sqlite::memory:", new java.util.Properties());
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
            rs.next();
        } catch (SQLException | RuntimeException | LinkageError e) {
            // only a warm-up
        }
    }
}
