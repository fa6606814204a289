package dev.novyse.sync;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A scripted HTTP peer on loopback: answers each request with the next reply queued for its path. */
final class FakePeer implements AutoCloseable {
    record Reply(int status, String contentType, String body) {
    }

    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    FakePeer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body));
            Deque<Reply> q = replies.get(ex.getRequestURI().getPath());
            Reply r = q == null || q.isEmpty() ? new Reply(404, "application/json",
                    "{\"success\":false,\"error\":\"NOT_FOUND\",\"message\":\"no such route\"}") : q.poll();
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", r.contentType());
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    FakePeer on(String path, int status, String body) {
        return on(path, status, "application/json", body);
    }

    FakePeer on(String path, int status, String contentType, String body) {
        replies.computeIfAbsent(path, k -> new ArrayDeque<>()).add(new Reply(status, contentType, body));
        return this;
    }

    /** Drops the replies still queued for a path. */
    FakePeer clear(String path) {
        replies.remove(path);
        return this;
    }

    FakePeer ok(String path, String data) {
        return on(path, 200, "{\"success\":true,\"data\":" + data + "}");
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
