package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Raw HTTP against the server, for tests that must send what a well-behaved client never would
 * (broken JSON, wrong types, forged tokens).
 */
public final class RawApi {
    public record Reply(int status, JsonNode body, String text) {
        public JsonNode data() {
            return body.path("data");
        }

        public String error() {
            return body.path("error").asText(null);
        }
    }

    /** A signed-up account: its token, uuid and session secret. */
    public record Account(String username, String token, String uuid, String session) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public RawApi(String base) {
        this.base = base;
    }

    public Reply send(String method, String path, String token, String body) {
        return send(method, path, token, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    }

    public Reply send(String method, String path, String token, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body)
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return exchange(b.build());
    }

    public Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode node;
            try {
                node = Json.mapper().readTree(r.body());
            } catch (IOException e) {
                node = Json.mapper().createObjectNode();
            }
            return new Reply(r.statusCode(), node == null ? Json.mapper().createObjectNode() : node, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String base() {
        return base;
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, json(body));
    }

    public Reply put(String path, String token, Object body) {
        return send("PUT", path, token, json(body));
    }

    public Reply patch(String path, String token, Object body) {
        return send("PATCH", path, token, json(body));
    }

    public Reply delete(String path, String token, Object body) {
        return send("DELETE", path, token, json(body));
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, (String) null);
    }

    public static String json(Object body) {
        try {
            return body instanceof String s ? s : Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Account signup(String username) {
        Reply r = post("/signup/password", null,
                java.util.Map.of("username", username, "password", "correct horse", "name", username.toUpperCase()));
        if (r.status() != 201) {
            throw new IllegalStateException("signup failed: " + r.text());
        }
        return new Account(username, r.body().get("token").asText(), r.body().get("userUUID").asText(),
                r.body().get("session_id").asText());
    }

    /** Signs {@code username} (made by {@link #signup}) in again: another session of the same account. */
    public Account signin(String username) {
        Reply r = post("/signin/password", null, java.util.Map.of("username", username, "password", "correct horse"));
        if (r.status() != 200) {
            throw new IllegalStateException("signin failed: " + r.text());
        }
        return new Account(username, r.body().get("token").asText(), r.body().get("userUUID").asText(),
                r.body().get("session_id").asText());
    }

    /** {@code data} of a request that must succeed. */
    public JsonNode ok(Reply r) {
        if (r.status() != 200 || !r.body().path("success").asBoolean()) {
            throw new AssertionError("expected success, got " + r.status() + " " + r.text());
        }
        return r.data();
    }
}
