package dev.novyse.server;

import dev.novyse.server.db.PostgresUrl;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Settings of one server instance. {@code passwordIterations} is lowered only by tests and the demo, where
 * sign-ups happen by the hundred; a served instance keeps the default. {@code database} is a PostgreSQL database
 * shared with other server processes, or null for SQLite in {@code dataDir}; uploaded files stay in {@code dataDir}
 * either way (with PostgreSQL, a folder all processes share).
 */
public record ServerConfig(String host, int port, Path dataDir, Duration tokenLifetime, int passwordIterations,
                           Clock clock, PostgresUrl database) {
    public static final int DEFAULT_PASSWORD_ITERATIONS = 210_000;

    public ServerConfig(String host, int port, Path dataDir, Duration tokenLifetime, int passwordIterations,
                        Clock clock) {
        this(host, port, dataDir, tokenLifetime, passwordIterations, clock, null);
    }

    public static ServerConfig of(String host, int port, Path dataDir) {
        return new ServerConfig(host, port, dataDir, Duration.ofMinutes(15), DEFAULT_PASSWORD_ITERATIONS, Clock.systemUTC());
    }

    public ServerConfig withPasswordIterations(int iterations) {
        return new ServerConfig(host, port, dataDir, tokenLifetime, iterations, clock, database);
    }

    public ServerConfig withTokenLifetime(Duration lifetime) {
        return new ServerConfig(host, port, dataDir, lifetime, passwordIterations, clock, database);
    }

    public ServerConfig withDatabase(PostgresUrl url) {
        return new ServerConfig(host, port, dataDir, tokenLifetime, passwordIterations, clock, url);
    }
}
