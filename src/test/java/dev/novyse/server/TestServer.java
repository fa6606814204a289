package dev.novyse.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real server on a free loopback port, its database in a temp dir; cheap password hashing for speed. */
public final class TestServer {
    private TestServer() {}

    public static NovyseServer start(Path dir) {
        return start(dir, Clock.systemUTC(), Duration.ofMinutes(15));
    }

    public static NovyseServer start(Path dir, Clock clock, Duration tokenLifetime) {
        return new NovyseServer(new ServerConfig("127.0.0.1", 0, dir, tokenLifetime, 1_000, clock)).start();
    }
}
