package dev.novyse.e2e;

import dev.novyse.server.ServerDatabase;
import dev.novyse.server.TestDatabases;
import dev.novyse.server.db.PostgresUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code novyse serve --database}: a configuration the server cannot work with ends it at once with exit 2 and one
 * line that says what is wrong, never the password, never a stack trace (issue 13). On the tests' real PostgreSQL.
 */
class ServeDatabaseE2eTest {
    @TempDir
    Path dir;

    private E2e.Run serve(String database) {
        return E2e.cli(null, "--data-dir", dir.toString(), "serve", "--port", "0", "--database", database);
    }

    private static void assertOneLine(E2e.Run r, String... parts) {
        assertEquals(2, r.code(), r.toString());
        assertEquals("", r.out(), "stdout stays clean");
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "says " + p + ": " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aPortInUseOrOutOfRangeIsOneLineAndLeavesNoDataDirectory() throws Exception {
        Path data = dir.resolve("never-made");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            E2e.Run r = E2e.cli(null, "--data-dir", data.toString(), "serve", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(4, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), "one line: " + r.err());
            assertTrue(r.err().startsWith("novyse: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), r.err());
            assertFalse(java.nio.file.Files.exists(data), "nothing made for a server that could not start");
        }
        E2e.Run range = E2e.cli(null, "--data-dir", data.toString(), "serve", "--port", "99999");
        assertEquals(2, range.code(), range.toString());
        assertEquals("novyse: --port must be between 0 and 65535, not 99999\n", range.err());
        assertFalse(java.nio.file.Files.exists(data));
    }

    @Test
    void anAddressThatIsNotPostgresqlIsAUsageError() {
        assertOneLine(serve("mysql://root@localhost/chat"), "postgresql://user[:password]@host[:port]/name");
        assertOneLine(serve("postgresql://localhost/chat"), "names no user");
    }

    @Test
    void anUnreachableDatabaseIsNamedWithoutItsPassword() throws Exception {
        int port = E2e.deadPort();
        E2e.Run r = serve("postgresql://novyse:hunter2@127.0.0.1:" + port + "/novyse");
        assertOneLine(r, "postgresql://novyse@127.0.0.1:" + port + "/novyse", "refused");
        assertFalse(r.err().contains("hunter2"), r.err());
    }

    @Test
    void aWrongPasswordIsSaid() {
        TestDatabases.roleWithPassword("serve_pw", "right-one");
        PostgresUrl db = TestDatabases.create("serve_pw_db");
        E2e.Run r = serve("postgresql://serve_pw:wrong-one@" + db.host() + ":" + db.port() + "/" + db.database());
        assertOneLine(r, "password authentication failed");
        assertFalse(r.err().contains("wrong-one"), r.err());
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefusedAndLeftAsItIs() throws Exception {
        PostgresUrl db = TestDatabases.create("serve_newer_db");
        ServerDatabase.open(db).close(); // brought to this version's schema
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        assertOneLine(serve("postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database()),
                "schema version 99", "newer");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
             Statement s = c.createStatement(); var rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(99, rs.getInt(1), "untouched");
        }
    }
}
