package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.AuthReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiClientTest {
    FakePeer peer;
    ApiClient api;

    @BeforeEach
    void start() throws Exception {
        peer = new FakePeer();
        api = new ApiClient(peer.uri(), TokenProvider.fixed("tok-1"));
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @Test
    void sendsTheProtocolHeadersAndReturnsData() {
        peer.ok("/chat/rename", "{\"name\":\"x\",\"chatEventID\":4}");
        JsonNode data = api.patch("/chat/rename", Map.of("chatUUID", "c1", "name", "x"));
        assertEquals(4, data.get("chatEventID").asInt());
        FakePeer.Seen s = peer.seen.get(0);
        assertEquals("PATCH", s.method());
        assertEquals("Bearer tok-1", s.header("Authorization"));
        assertEquals("desktop", s.header("x-platform"));
        assertEquals(ApiClient.APP_VERSION, s.header("x-app-version"));
        assertTrue(s.header("x-operating-system") != null && !s.header("x-operating-system").isBlank());
        assertTrue(s.body().contains("\"chatUUID\":\"c1\""));
    }

    @Test
    void deleteCarriesAJsonBodyAndGetAQuery() {
        peer.ok("/message", "{\"chatEventID\":9}");
        peer.ok("/search/all", "{\"users\":[]}");
        api.delete("/message", Map.of("chatUUID", "c1", "subID", 0, "messageID", 3));
        api.get("/search/all", Map.of("query", "a b&c"));
        assertEquals("DELETE", peer.seen.get(0).method());
        assertTrue(peer.seen.get(0).body().contains("\"messageID\":3"));
        assertEquals("query=a+b%26c", peer.seen.get(1).query());
    }

    @Test
    void garbageIsABadReply() {
        peer.on("/x", 200, "this is not json");
        ApiException e = assertThrows(ApiException.class, () -> api.post("/x", Map.of()));
        assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void truncatedJsonIsABadReply() {
        peer.on("/x", 200, "{\"success\":true,\"data\":{\"a\":[1,2");
        assertEquals(ApiException.Kind.BAD_REPLY, assertThrows(ApiException.class, () -> api.post("/x", Map.of())).kind());
        peer.on("/x", 200, "{\"success\":true,\"data\":{}} trailing");
        assertEquals(ApiException.Kind.BAD_REPLY, assertThrows(ApiException.class, () -> api.post("/x", Map.of())).kind());
        peer.on("/x", 200, "[1,2,3]");
        assertEquals(ApiException.Kind.BAD_REPLY, assertThrows(ApiException.class, () -> api.post("/x", Map.of())).kind());
        peer.on("/x", 200, "");
        assertEquals(ApiException.Kind.BAD_REPLY, assertThrows(ApiException.class, () -> api.post("/x", Map.of())).kind());
    }

    @Test
    void wrongShapeOfDataIsABadReply() {
        peer.ok("/user/update", "{\"messages\": \"nope\"}");
        ApiException e = assertThrows(ApiException.class, () -> api.update(
                new dev.novyse.protocol.UpdateRequest(new dev.novyse.protocol.UpdateRequest.Local(0), java.util.List.of(),
                        java.util.List.of()), 10));
        assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
        assertTrue(e.getMessage().startsWith("malformed reply to POST /user/update"), e.getMessage());
        assertEquals("limit=10", peer.seen.get(0).query());
    }

    @Test
    void htmlBadGatewayIsAnHttpErrorWithItsStatus() {
        peer.on("/x", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        ApiException e = assertThrows(ApiException.class, () -> api.get("/x", Map.of()));
        assertEquals(ApiException.Kind.HTTP, e.kind());
        assertEquals(502, e.status());
        assertNull(e.code());
        assertTrue(e.getMessage().contains("502"), e.getMessage());
    }

    @Test
    void errorEnvelopeCarriesCodeAndMessage() {
        peer.on("/chat/rename", 403, "{\"success\":false,\"error\":\"FORBIDDEN\",\"message\":\"Only admins may rename.\"}");
        ApiException e = assertThrows(ApiException.class, () -> api.patch("/chat/rename", Map.of()));
        assertEquals(ApiException.Kind.HTTP, e.kind());
        assertEquals(403, e.status());
        assertEquals("FORBIDDEN", e.code());
        assertTrue(e.getMessage().contains("Only admins may rename."), e.getMessage());
        // success:false inside a 200 is a refusal too
        peer.on("/y", 200, "{\"success\":false,\"error\":\"CONFLICT\"}");
        assertEquals("CONFLICT", assertThrows(ApiException.class, () -> api.post("/y", Map.of())).code());
    }

    @Test
    void upgradeRequiredNamesTheMinimumVersion() {
        peer.on("/x", 426, "{\"data\":{\"minVersion\":\"9.9.9\"}}");
        ApiException e = assertThrows(ApiException.class, () -> api.get("/x", Map.of()));
        assertEquals("UPDATE_REQUIRED", e.code());
        assertTrue(e.getMessage().contains("9.9.9"));
    }

    @Test
    void unreachableServerIsANetworkError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ApiClient dead = new ApiClient(URI.create("http://127.0.0.1:" + port), TokenProvider.NONE);
        ApiException e = assertThrows(ApiException.class, () -> dead.get("/x", Map.of()));
        assertEquals(ApiException.Kind.NETWORK, e.kind());
        assertEquals(0, e.status());
        assertFalse(e.getMessage().contains("\n"));
    }

    /**
     * A peer that reads each request whole and hangs up without a reply: the POST is a network error, and it was
     * sent once (HttpURLConnection resends it on a new connection by default: a request the server may have applied).
     */
    @Test
    void aPostWhoseConnectionBreaksBeforeTheReplyIsSentOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket hangUp = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread peerThread = new Thread(() -> {
                while (!hangUp.isClosed()) {
                    try (java.net.Socket s = hangUp.accept()) {
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                                java.nio.charset.StandardCharsets.ISO_8859_1));
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        for (int i = 0; i < length; i++) in.read();
                        requests.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            peerThread.start();
            ApiClient broken = new ApiClient(URI.create("http://127.0.0.1:" + hangUp.getLocalPort()), TokenProvider.NONE);
            ApiException e = assertThrows(ApiException.class, () -> broken.post("/chat", Map.of("name", "once")));
            assertEquals(ApiException.Kind.NETWORK, e.kind());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(1, requests.get(), "the POST reached the peer once");
            hangUp.close();
            peerThread.join(5000);
        }
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheRequestRetried() {
        AtomicInteger refreshes = new AtomicInteger();
        ApiClient refreshing = new ApiClient(peer.uri(), new TokenProvider() {
            String token = "old";

            @Override
            public String current() {
                return token;
            }

            @Override
            public String refresh() {
                refreshes.incrementAndGet();
                token = "new";
                return token;
            }
        });
        String expired = "{\"success\":false,\"error\":\"AUTH_TOKEN_EXPIRED\",\"message\":\"Token expired.\"}";
        peer.on("/x", 401, expired).ok("/x", "{\"ok\":1}");
        assertEquals(1, refreshing.post("/x", Map.of()).get("ok").asInt());
        assertEquals(1, refreshes.get());
        assertEquals("Bearer old", peer.seen.get(0).header("Authorization"));
        assertEquals("Bearer new", peer.seen.get(1).header("Authorization"));
        // a second expiry in a row surfaces instead of looping
        peer.on("/x", 401, expired).on("/x", 401, expired);
        ApiException e = assertThrows(ApiException.class, () -> refreshing.post("/x", Map.of()));
        assertEquals("AUTH_TOKEN_EXPIRED", e.code());
        assertEquals(2, refreshes.get());
        // other 401s are not refreshed
        peer.on("/x", 401, "{\"success\":false,\"error\":\"AUTH_INVALID_TOKEN\"}");
        assertThrows(ApiException.class, () -> refreshing.post("/x", Map.of()));
        assertEquals(2, refreshes.get());
    }

    @Test
    void authRepliesAreNotEnveloped() {
        peer.on("/signin/password", 200, "{\"token\":\"t\",\"userUUID\":\"u1\",\"sessionID\":7,\"session_id\":\"s-key\","
                + "\"expiresAt\":\"2030-01-01T00:00:00Z\"}");
        AuthReply r = api.signin("ann", "secret-password");
        assertEquals(new AuthReply("t", "u1", 7L, "s-key", "2030-01-01T00:00:00Z"), r);
        assertTrue(peer.seen.get(0).body().contains("\"username\":\"ann\""));
        peer.on("/token", 200, "{\"token\":\"t2\",\"session_id\":\"s-key\"}");
        assertEquals("t2", api.refreshToken("s-key").token());
        assertEquals("s-key", peer.seen.get(1).header("x-session-id"));
        peer.on("/signin/password", 401, "{\"success\":false,\"error\":\"INVALID_CREDENTIALS\",\"message\":\"Wrong.\"}");
        assertEquals("INVALID_CREDENTIALS", assertThrows(ApiException.class, () -> api.signin("ann", "x")).code());
        peer.on("/signup/password", 201, "{\"nope\":true}");
        assertEquals(ApiException.Kind.BAD_REPLY,
                assertThrows(ApiException.class, () -> api.signup("bob", "password1", "Bob")).kind());
    }
}
