package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.db.PostgresUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A PostgreSQL database that goes away while the server runs (its network path cut by a real TCP relay, every
 * connection reset): requests get a 503 envelope, nothing is half-written, and when the database is back the same
 * server process serves again, with no restart. Runs on the tests' PostgreSQL in the default pass.
 */
class PostgresOutageTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseThatGoesAwayAnswers503AndTheServerServesAgainWhenItIsBack() throws Exception {
        PostgresUrl db = TestDatabases.create("outage_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        try (TcpRelay path = new TcpRelay(List.of(db.port()))) {
            PostgresUrl viaRelay = new PostgresUrl(db.host(), path.port(), db.database(), db.user(), null, Map.of());
            try (NovyseServer server = new NovyseServer(new ServerConfig("127.0.0.1", 0, dir, Duration.ofMinutes(15),
                    1_000, Clock.systemUTC(), viaRelay)).start()) {
                RawApi api = new RawApi(server.url());
                RawApi.Account alice = api.signup("alice");
                RawApi.Account bob = api.signup("bob");
                String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                        "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
                api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "before")));

                assertEquals(200, api.get("/health", null).status());
                path.offline(true);
                RawApi.Reply health = api.get("/health", null);
                assertEquals(503, health.status(), "a balancer's check sends no one here: " + health.text());
                assertEquals("DATABASE_UNAVAILABLE", health.error(), health.text());
                RawApi.Reply send = api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "during"));
                assertEquals(503, send.status(), send.text());
                assertEquals("DATABASE_UNAVAILABLE", send.error(), send.text());
                RawApi.Reply init = api.get("/user/initialize", bob.token());
                assertEquals(503, init.status(), init.text());
                assertEquals("DATABASE_UNAVAILABLE", init.error(), init.text());

                path.offline(false);
                assertEquals("ok", api.ok(api.get("/health", null)).path("status").asText(), "healthy again, no restart");
                api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "after")));
                List<String> seen = new ArrayList<>();
                for (JsonNode m : api.ok(api.get("/user/initialize", bob.token())).path("messages")) {
                    if (m.path("chatUUID").asText().equals(chat)) seen.add(m.path("id").asLong() + " " + m.path("content").asText());
                }
                assertEquals(List.of("1 before", "2 after"), seen, "the refused send left no row and no gap");
            }
        }
    }
}
