package dev.novyse.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real server on a free loopback port, its files in a temp dir and its database there too (SQLite) or on the tests'
 * PostgreSQL ({@link TestDatabases}); cheap password hashing for speed.
 */
public final class TestServer {
    private TestServer() {}

    public static NovyseServer start(Path dir) {
        return start(dir, 0);
    }

    /** On {@code port} (0: a free one): a server stopped and started again on its own port, with its data. */
    public static NovyseServer start(Path dir, int port) {
        return new NovyseServer(config(port, dir, Clock.systemUTC(), Duration.ofMinutes(15))).start();
    }

    public static NovyseServer start(Path dir, Clock clock, Duration tokenLifetime) {
        return new NovyseServer(config(0, dir, clock, tokenLifetime)).start();
    }

    /** The configuration of a test server on {@code port} (0: a free one) keeping its data in {@code dir}. */
    public static ServerConfig config(int port, Path dir, Clock clock, Duration tokenLifetime) {
        return TestDatabases.applyTo(new ServerConfig("127.0.0.1", port, dir, tokenLifetime, 1_000, clock));
    }
}
