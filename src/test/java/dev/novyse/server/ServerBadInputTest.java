package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against every endpoint class: the documented 4xx and error code, the server stays up, and nothing
 * is written (each account's initialize is byte-for-byte the same before and after).
 */
class ServerBadInputTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;
    static RawApi.Account alice;
    static RawApi.Account bob;
    static RawApi.Account mallory;
    static String chat;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        mallory = api.signup("mallory");
        chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "first")));
        api.ok(api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", chat, "name", "Build"))); // sub 1
        api.ok(api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", chat, "name", "Other"))); // sub 2
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Case(String name, String method, String path, String who, String body, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String chatBody(String extra) {
        return "{\"chatUUID\":\"" + chat + "\",\"subID\":0" + extra + "}";
    }

    static Stream<Case> cases() {
        String big = "x".repeat(Http.MAX_BODY_BYTES + 10);
        return Stream.of(
                // authentication
                new Case("signup malformed JSON", "POST", "/signup/password", null, "{\"username\":", 400, "BAD_REQUEST"),
                new Case("signup username wrong type", "POST", "/signup/password", null,
                        "{\"username\":42,\"password\":\"longenough\"}", 400, "BAD_REQUEST"),
                new Case("signup short password", "POST", "/signup/password", null,
                        "{\"username\":\"carol\",\"password\":\"short\"}", 400, "BAD_REQUEST"),
                new Case("signup taken username", "POST", "/signup/password", null,
                        "{\"username\":\"ALICE\",\"password\":\"longenough\"}", 409, "CONFLICT"),
                new Case("signin wrong password", "POST", "/signin/password", null,
                        "{\"username\":\"alice\",\"password\":\"wrong password\"}", 401, "INVALID_CREDENTIALS"),
                new Case("signin short wrong password (the signup's rule is not said)", "POST", "/signin/password", null,
                        "{\"username\":\"alice\",\"password\":\"wrong\"}", 401, "INVALID_CREDENTIALS"),
                new Case("signin unknown user", "POST", "/signin/password", null,
                        "{\"username\":\"nobody\",\"password\":\"wrong password\"}", 401, "INVALID_CREDENTIALS"),
                new Case("token without session", "POST", "/token", null, "{}", 401, "SESSION_INVALID"),
                // sync
                new Case("initialize without token", "GET", "/user/initialize", null, null, 401, "AUTH_NO_TOKEN"),
                new Case("initialize forged token", "GET", "/user/initialize", "forged", null, 401, "AUTH_INVALID_TOKEN"),
                new Case("update malformed JSON", "POST", "/user/update", "alice", "[1,2", 400, "BAD_REQUEST"),
                new Case("update chats not an array", "POST", "/user/update", "alice", "{\"chats\":\"all\"}", 400, "BAD_REQUEST"),
                new Case("update cursor wrong type", "POST", "/user/update", "alice",
                        "{\"chats\":[{\"chatUUID\":\"x\",\"eventID\":\"many\"}]}", 400, "BAD_REQUEST"),
                new Case("update limit out of range", "POST", "/user/update?limit=0", "alice", "{}", 400, "BAD_REQUEST"),
                // messages
                new Case("send body not an object", "POST", "/message", "alice", "\"hello\"", 400, "BAD_REQUEST"),
                new Case("send empty", "POST", "/message", "alice", chatBody(""), 400, "BAD_REQUEST"),
                new Case("send content wrong type", "POST", "/message", "alice", chatBody(",\"content\":7"), 400, "BAD_REQUEST"),
                new Case("send subID wrong type", "POST", "/message", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"subID\":\"zero\",\"content\":\"x\"}", 400, "BAD_REQUEST"),
                new Case("send oversized body", "POST", "/message", "alice", chatBody(",\"content\":\"" + big + "\""), 413, "PAYLOAD_TOO_LARGE"),
                new Case("send content too long", "POST", "/message", "alice",
                        chatBody(",\"content\":\"" + "y".repeat(NewMessages.MAX_CONTENT + 1) + "\""), 413, "PAYLOAD_TOO_LARGE"),
                new Case("send by non-member", "POST", "/message", "mallory", chatBody(",\"content\":\"hi\""), 403, "FORBIDDEN"),
                new Case("send to unknown chat", "POST", "/message", "alice",
                        "{\"chatUUID\":\"nope\",\"content\":\"hi\"}", 404, "NOT_FOUND"),
                new Case("send to unknown sub", "POST", "/message", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"subID\":9,\"content\":\"hi\"}", 404, "NOT_FOUND"),
                new Case("send without token", "POST", "/message", null, chatBody(",\"content\":\"hi\""), 401, "AUTH_NO_TOKEN"),
                new Case("edit by non-author", "PATCH", "/message", "bob", chatBody(",\"messageID\":1,\"content\":\"mine\""), 403, "FORBIDDEN"),
                new Case("edit unknown message", "PATCH", "/message", "alice", chatBody(",\"messageID\":99,\"content\":\"x\""), 404, "NOT_FOUND"),
                new Case("edit negative id", "PATCH", "/message", "alice", chatBody(",\"messageID\":-1,\"content\":\"x\""), 400, "BAD_REQUEST"),
                new Case("delete by non-author non-admin", "DELETE", "/message", "bob", chatBody(",\"messageID\":1"), 403, "FORBIDDEN"),
                new Case("delete by non-member", "DELETE", "/message", "mallory", chatBody(",\"messageID\":1"), 403, "FORBIDDEN"),
                new Case("react without reaction", "PUT", "/message/reaction", "bob", chatBody(",\"messageID\":1"), 400, "BAD_REQUEST"),
                new Case("react by non-member", "PUT", "/message/reaction", "mallory",
                        chatBody(",\"messageID\":1,\"reaction\":\"x\""), 403, "FORBIDDEN"),
                new Case("pin by non-member", "PUT", "/message/pin", "mallory", chatBody(",\"messageID\":1"), 403, "FORBIDDEN"),
                new Case("read unknown message", "POST", "/message/read", "bob", chatBody(",\"messageID\":50"), 404, "NOT_FOUND"),
                new Case("favorite by non-member", "PUT", "/message/favorite", "mallory", chatBody(",\"messageID\":1"), 403, "FORBIDDEN"),
                new Case("get message by non-member", "GET", "/message?chatUUID=" + chat + "&subID=0&messageID=1", "mallory",
                        null, 403, "FORBIDDEN"),
                new Case("history bad limit", "GET", "/message/history?chatUUID=" + chat + "&limit=abc", "alice", null, 400, "BAD_REQUEST"),
                // chats
                new Case("create unknown type", "POST", "/chat/create", "alice", "{\"type\":\"PARTY\",\"name\":\"x\"}", 400, "BAD_REQUEST"),
                new Case("create DM with two", "POST", "/chat/create", "alice",
                        "{\"type\":\"DM\",\"memberUUIDs\":[\"a\",\"b\"]}", 400, "BAD_REQUEST"),
                new Case("create with unknown member", "POST", "/chat/create", "alice",
                        "{\"type\":\"GROUP\",\"name\":\"g\",\"memberUUIDs\":[\"ghost\"]}", 404, "NOT_FOUND"),
                new Case("create members wrong type", "POST", "/chat/create", "alice",
                        "{\"type\":\"GROUP\",\"name\":\"g\",\"memberUUIDs\":\"bob\"}", 400, "BAD_REQUEST"),
                new Case("create taken handle", "POST", "/chat/create", "alice",
                        "{\"type\":\"GROUP\",\"name\":\"g\",\"handle\":\"bob\"}", 409, "CONFLICT"),
                new Case("join unknown handle", "POST", "/chat/join", "mallory", "{\"handle\":\"nothing\"}", 404, "NOT_FOUND"),
                new Case("rename by member", "PATCH", "/chat/rename", "bob", "{\"chatUUID\":\"" + chat + "\",\"name\":\"B\"}", 403, "FORBIDDEN"),
                new Case("rename by non-member", "PATCH", "/chat/rename", "mallory",
                        "{\"chatUUID\":\"" + chat + "\",\"name\":\"M\"}", 403, "FORBIDDEN"),
                new Case("sub create by member", "POST", "/chat/sub/create", "bob", "{\"chatUUID\":\"" + chat + "\",\"name\":\"s\"}", 403, "FORBIDDEN"),
                new Case("sub create with a name the chat has", "POST", "/chat/sub/create", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"name\":\" Build \"}", 409, "CONFLICT"),
                new Case("sub rename to a name another sub has", "PATCH", "/chat/sub/rename", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"id\":2,\"name\":\"Build\"}", 409, "CONFLICT"),
                new Case("leave by non-member", "POST", "/chat/leave", "mallory", "{\"chatUUID\":\"" + chat + "\"}", 403, "FORBIDDEN"),
                new Case("pin chat by non-member", "PUT", "/chat/pin", "mallory", "{\"chatUUID\":\"" + chat + "\",\"position\":0}", 403, "FORBIDDEN"),
                // moderation (docs/protocol.md#moderation)
                new Case("invite without users", "POST", "/chat/invite", "alice", "{\"chatUUID\":\"" + chat + "\",\"userUUIDs\":[]}", 400, "BAD_REQUEST"),
                new Case("invite users wrong type", "POST", "/chat/invite", "alice", "{\"chatUUID\":\"" + chat + "\",\"userUUIDs\":[7]}", 400, "BAD_REQUEST"),
                new Case("invite unknown user", "POST", "/chat/invite", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"userUUIDs\":[\"" + "ghost" + "\"]}", 404, "NOT_FOUND"),
                new Case("invite by member", "POST", "/chat/invite", "bob",
                        "{\"chatUUID\":\"" + chat + "\",\"userUUIDs\":[\"" + "ghost" + "\"]}", 403, "FORBIDDEN"),
                new Case("kick without user", "POST", "/chat/kick", "alice", "{\"chatUUID\":\"" + chat + "\"}", 400, "BAD_REQUEST"),
                new Case("kick a non-member", "POST", "/chat/kick", "alice", "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"ghost\"}", 404, "NOT_FOUND"),
                new Case("kick oneself", "POST", "/chat/kick", "alice", "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"" + alice.uuid() + "\"}", 403, "FORBIDDEN"),
                new Case("ban unknown user", "PUT", "/chat/ban", "alice", "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"ghost\"}", 404, "NOT_FOUND"),
                new Case("ban by member", "PUT", "/chat/ban", "bob", "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"" + mallory.uuid() + "\"}", 403, "FORBIDDEN"),
                new Case("bans without chat", "GET", "/chat/bans", "alice", null, 400, "BAD_REQUEST"),
                new Case("grant admin to a non-member", "PUT", "/chat/admin", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"" + mallory.uuid() + "\"}", 404, "NOT_FOUND"),
                new Case("hand over to a non-member", "POST", "/chat/owner", "alice",
                        "{\"chatUUID\":\"" + chat + "\",\"userUUID\":\"" + mallory.uuid() + "\"}", 404, "NOT_FOUND"),
                new Case("owner leaves first", "POST", "/chat/leave", "alice", "{\"chatUUID\":\"" + chat + "\"}", 409, "CONFLICT"),
                new Case("description wrong type", "PATCH", "/chat/description", "alice", "{\"chatUUID\":\"" + chat + "\",\"description\":1}", 400, "BAD_REQUEST"),
                new Case("handle invalid", "PATCH", "/chat/handle", "alice", "{\"chatUUID\":\"" + chat + "\",\"handle\":\"no way\"}", 400, "BAD_REQUEST"),
                new Case("handle taken", "PATCH", "/chat/handle", "alice", "{\"chatUUID\":\"" + chat + "\",\"handle\":\"bob\"}", 409, "CONFLICT"),
                // users
                new Case("profile name wrong type", "PATCH", "/user/profile", "alice", "{\"name\":[1]}", 400, "BAD_REQUEST"),
                new Case("profile empty name", "PATCH", "/user/profile", "alice", "{\"name\":\"\"}", 400, "BAD_REQUEST"),
                new Case("setting without key", "PUT", "/user/settings/preferences", "alice", "{\"value\":1}", 400, "BAD_REQUEST"),
                new Case("search too short", "GET", "/search/all?query=ab", "alice", null, 400, "BAD_REQUEST"),
                new Case("check handle invalid", "GET", "/check/handle?handle=%20", null, null, 400, "BAD_REQUEST"),
                new Case("unknown route", "GET", "/nothing/here", "alice", null, 404, "NOT_FOUND"));
    }

    static String token(String who) {
        if (who == null) {
            return null;
        }
        return switch (who) {
            case "alice" -> alice.token();
            case "bob" -> bob.token();
            case "mallory" -> mallory.token();
            default -> who;
        };
    }

    static Map<String, String> snapshot() {
        return Map.of("alice", api.get("/user/initialize", alice.token()).text(),
                "bob", api.get("/user/initialize", bob.token()).text(),
                "mallory", api.get("/user/initialize", mallory.token()).text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithDocumentedStatusAndNothingWritten(Case c) {
        Map<String, String> before = snapshot();
        RawApi.Reply r = api.send(c.method(), c.path(), token(c.who()), c.body());
        assertEquals(c.status(), r.status(), r.text());
        assertFalse(r.body().path("success").asBoolean(true), r.text());
        assertEquals(c.code(), r.error(), r.text());
        assertTrue(r.body().path("message").isTextual(), "a human message accompanies the code");
        assertFalse(r.text().contains("Exception"), "no stack trace or exception name leaks: " + r.text());
        assertEquals(before, snapshot(), "a refused request must not change any account's view");
    }

    @Test
    void aSubMayTakeItsOwnNameInAnotherCase() {
        RawApi.Reply r = api.send("PATCH", "/chat/sub/rename", alice.token(), RawApi.json(Map.of("chatUUID", chat,
                "id", 1, "name", "build")));
        assertEquals(200, r.status(), r.text());
        api.ok(api.send("PATCH", "/chat/sub/rename", alice.token(), RawApi.json(Map.of("chatUUID", chat, "id", 1,
                "name", "Build"))));
    }

    @Test
    void theHealthCheckNeedsNoSignInAndNamesTheDatabase() {
        RawApi.Reply health = api.get("/health", null);
        assertEquals(200, health.status(), health.text());
        assertEquals("ok", api.ok(health).path("status").asText(), health.text());
        assertEquals(TestDatabases.POSTGRESQL ? "postgresql" : "sqlite", api.ok(health).path("database").asText());
        assertEquals(2, api.ok(health).size(), "nothing else, nothing about users: " + health.text());
    }

    @Test
    void serverStaysUpAfterAFloodOfGarbage() {
        for (int i = 0; i < 200; i++) {
            api.send("POST", "/message", alice.token(), "{\"chatUUID\":" + "[".repeat(i % 50));
        }
        JsonNode init = api.ok(api.get("/user/initialize", alice.token()));
        assertEquals(1, init.path("messages").size());
    }

    @Test
    void expiredTokenIsRefusedWithItsOwnCodeAndRefreshWorks() {
        MutableClock clock = new MutableClock();
        try (NovyseServer s = TestServer.start(dir.resolve("clocked"), clock, java.time.Duration.ofMinutes(15))) {
            RawApi raw = new RawApi(s.url());
            RawApi.Account carol = raw.signup("carol");
            assertEquals(200, raw.get("/user/initialize", carol.token()).status());
            clock.advance(java.time.Duration.ofMinutes(16));
            RawApi.Reply expired = raw.get("/user/initialize", carol.token());
            assertEquals(401, expired.status());
            assertEquals("AUTH_TOKEN_EXPIRED", expired.error());
            RawApi.Reply refreshed = raw.exchange(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(s.url() + "/token")).header("x-session-id", carol.session())
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, refreshed.status(), refreshed.text());
            String fresh = refreshed.body().path("token").asText();
            assertEquals(200, raw.get("/user/initialize", fresh).status());
            // Logout ends the session: its tokens and the session secret stop working.
            assertEquals(200, raw.post("/logout", fresh, "{}").status());
            assertEquals("AUTH_INVALID_TOKEN", raw.get("/user/initialize", fresh).error());
            RawApi.Reply again = raw.exchange(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(s.url() + "/token")).header("x-session-id", carol.session())
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(401, again.status());
            assertEquals("SESSION_INVALID", again.error());
        }
    }
}
