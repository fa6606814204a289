package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.novyse.protocol.AuthReply;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateData;
import dev.novyse.server.BulkSeeder;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.TestServer;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import dev.novyse.store.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipelined sync against a real server whose data changes between pages. A recording proxy in front of the
 * server changes the data just before forwarding the k-th update request and records every request and reply.
 * Replaying the recorded replies the sequential way (read the cursors from the database, check they are the request
 * the pipeline sent, apply, commit, repeat) must give the very same database: the server answers a request from its
 * state at that moment only, so a sequential client sending the same requests gets the same replies.
 */
class SyncPipelineTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RecordingProxy proxy;
    AuthReply me;
    AuthReply peer;
    ApiClient peerApi;
    ApiClient meApi;
    List<String> chats;

    /** Forwards to the server; runs {@code beforeUpdate} with k before the k-th POST /user/update (k from 1). */
    static final class RecordingProxy implements AutoCloseable {
        record Exchange(String path, String request, String reply) {
        }

        final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
        private final HttpServer http;
        private final HttpClient client = HttpClient.newHttpClient();
        private int updates;
        volatile RuntimeException failure;

        RecordingProxy(String target, IntConsumer beforeUpdate) throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                byte[] body = ex.getRequestBody().readAllBytes();
                if (path.equals("/user/update")) {
                    try {
                        beforeUpdate.accept(++updates);
                    } catch (RuntimeException e) {
                        failure = e;
                        throw e;
                    }
                }
                String query = ex.getRequestURI().getRawQuery();
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                ex.getRequestHeaders().forEach((name, values) -> {
                    String n = name.toLowerCase();
                    if (n.equals("authorization") || n.equals("content-type") || n.startsWith("x-")) rb.header(name, values.get(0));
                });
                HttpResponse<byte[]> resp;
                try {
                    resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                exchanges.add(new Exchange(path, new String(body, java.nio.charset.StandardCharsets.UTF_8),
                        new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8)));
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(resp.body());
                }
            });
            http.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        }

        int updates() {
            return updates;
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir.resolve("server"));
        ApiClient anon = new ApiClient(URI.create(server.url()), TokenProvider.NONE);
        me = anon.signup("bench", "bench-password", "Bench");
        peer = anon.signup("peer", "peer-password", "Peer");
        // the peer is the first member: the admin of every seeded chat
        chats = BulkSeeder.seed(server, new BulkSeeder.Spec(List.of(peer.userUUID(), me.userUUID()), 3, 20, 7));
        peerApi = new ApiClient(URI.create(server.url()), TokenProvider.fixed(peer.token()));
        meApi = new ApiClient(URI.create(server.url()), TokenProvider.fixed(me.token()));
        proxy = new RecordingProxy(server.url(), this::change);
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
    }

    int side = -1;

    /** What changes on the server just before the k-th update request reaches it. */
    void change(int k) {
        String a = chats.get(0);
        String b = chats.get(1);
        String c = chats.get(2);
        switch (k) {
            case 2 -> {
                for (int i = 1; i <= 3; i++) {
                    peerApi.post("/message", Map.of("chatUUID", a, "subID", 0, "content", "late " + i));
                }
                peerApi.put("/message/reaction", Map.of("chatUUID", b, "subID", 0, "messageID", 3, "reaction", "👍"));
                peerApi.patch("/user/profile", Map.of("biography", "changed between pages"));
                meApi.put("/user/settings/preferences", Map.of("key", "theme", "value", "dark"));
            }
            case 3 -> {
                peerApi.patch("/message", Map.of("chatUUID", a, "subID", 0, "messageID", 21, "content", "late 1, edited"));
                side = peerApi.post("/chat/sub/create", Map.of("chatUUID", b, "name", "side")).path("id").asInt();
                peerApi.post("/message", Map.of("chatUUID", b, "subID", side, "content", "in the side sub"));
                peerApi.post("/message", Map.of("chatUUID", b, "subID", side, "content", "in the side sub too"));
                peerApi.put("/message/pin", Map.of("chatUUID", a, "subID", 0, "messageID", 2));
                peerApi.patch("/chat/rename", Map.of("chatUUID", c, "name", "renamed between pages"));
            }
            case 4 -> {
                peerApi.delete("/message", Map.of("chatUUID", a, "subID", 0, "messageID", 22));
                peerApi.delete("/chat/sub/delete", Map.of("chatUUID", b, "id", side));
                String late = peerApi.post("/chat/create", Map.of("type", "GROUP", "name", "late chat",
                        "memberUUIDs", List.of(me.userUUID()))).path("chat").path("uuid").asText();
                peerApi.post("/message", Map.of("chatUUID", late, "subID", 0, "content", "hello late"));
                meApi.post("/chat/leave", Map.of("chatUUID", c));
            }
            default -> {
            }
        }
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static <T> T data(String envelope, Class<T> type) {
        return ApiClient.decode(tree(envelope).get("data"), type, "recorded reply");
    }

    @Test
    void pipelinedGivesTheSequentialDatabaseWhileTheServerChanges() throws Exception {
        Path pipelinedFile = dir.resolve("pipelined.db");
        SyncResult result;
        try (LocalDatabase db = LocalDatabase.open(pipelinedFile)) {
            result = new SyncEngine(new ApiClient(proxy.uri(), TokenProvider.fixed(me.token())), db, 7).sync();
        } catch (RuntimeException e) {
            if (proxy.failure != null) throw new AssertionError("changing the server failed", proxy.failure);
            throw e;
        }
        assertTrue(proxy.updates() > 5, "the sync should span the changes: " + proxy.updates() + " updates");
        assertEquals(1 + proxy.updates(), result.pages());

        Path sequentialFile = dir.resolve("sequential.db");
        BatchApplier applier = new BatchApplier();
        try (LocalDatabase db = LocalDatabase.open(sequentialFile)) {
            List<RecordingProxy.Exchange> exchanges = List.copyOf(proxy.exchanges);
            assertEquals("/user/initialize", exchanges.get(0).path());
            InitializeData init = data(exchanges.get(0).reply(), InitializeData.class);
            db.inTransaction(tx -> {
                applier.applyInitialize(new StoreWriter(tx), init, new ApplyStats());
                return null;
            });
            for (RecordingProxy.Exchange e : exchanges.subList(1, exchanges.size())) {
                assertEquals("/user/update", e.path());
                // the pipeline asked with exactly the cursors the database holds at this page boundary
                assertEquals(tree(Json.mapper().writeValueAsString(db.updateRequest())), tree(e.request()));
                UpdateData reply = data(e.reply(), UpdateData.class);
                db.inTransaction(tx -> {
                    applier.applyUpdate(new StoreWriter(tx), reply, new ApplyStats());
                    return null;
                });
            }
        }
        assertEquals(TestDb.dump(sequentialFile), TestDb.dump(pipelinedFile));

        // and the changes did arrive
        String a = chats.get(0);
        assertEquals("late 1, edited", TestDb.rows(pipelinedFile,
                "SELECT content FROM message WHERE chatUUID = ? AND id = 21", a).get(0).get(0));
        assertEquals(1L, ((Number) TestDb.rows(pipelinedFile,
                "SELECT deleted FROM message WHERE chatUUID = ? AND id = 22", a).get(0).get(0)).longValue());
        assertTrue(TestDb.rows(pipelinedFile, "SELECT 1 FROM chat WHERE uuid = ?", chats.get(2)).isEmpty());
        assertFalse(TestDb.rows(pipelinedFile, "SELECT 1 FROM chat WHERE name = 'late chat'").isEmpty());
        // a deleted sub's messages are gone and stay gone (the server no longer sends messages of deleted subs)
        assertEquals(0, TestDb.rows(pipelinedFile, "SELECT 1 FROM message WHERE chatUUID = ? AND subID = ?",
                chats.get(1), side).size());
        assertEquals("changed between pages", TestDb.rows(pipelinedFile,
                "SELECT biography FROM user WHERE uuid = ?", peer.userUUID()).get(0).get(0));
        // search works right after the sync (the full-text index is kept in the same transactions)
        assertFalse(TestDb.rows(pipelinedFile, "SELECT rowid FROM message_fts WHERE message_fts MATCH 'edited'").isEmpty());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + pipelinedFile);
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
        }
    }
}
