package dev.novyse.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Settings of one server instance. {@code passwordIterations} is lowered only by tests and the demo, where
 * sign-ups happen by the hundred; a served instance keeps the default.
 */
public record ServerConfig(String host, int port, Path dataDir, Duration tokenLifetime, int passwordIterations,
                           Clock clock) {
    public static final int DEFAULT_PASSWORD_ITERATIONS = 210_000;

    public static ServerConfig of(String host, int port, Path dataDir) {
        return new ServerConfig(host, port, dataDir, Duration.ofMinutes(15), DEFAULT_PASSWORD_ITERATIONS, Clock.systemUTC());
    }

    public ServerConfig withPasswordIterations(int iterations) {
        return new ServerConfig(host, port, dataDir, tokenLifetime, iterations, clock);
    }

    public ServerConfig withTokenLifetime(Duration lifetime) {
        return new ServerConfig(host, port, dataDir, lifetime, passwordIterations, clock);
    }
}
