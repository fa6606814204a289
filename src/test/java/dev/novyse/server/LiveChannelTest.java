package dev.novyse.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The live channel with the real Java Socket.IO client, over websocket only and over long-polling only:
 * the handshake's auth, and committed changes reaching exactly the members of a chat.
 */
class LiveChannelTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        server.close();
    }

    /** A connected socket whose events of interest land in a queue as "event payload" strings. */
    private BlockingQueue<String> connect(String transport, String token, String... events) throws Exception {
        IO.Options options = IO.Options.builder()
                .setTransports(new String[]{transport})
                .setReconnection(false)
                .setAuth(token == null ? Map.of() : Map.of("token", token))
                .build();
        Socket socket = IO.socket(URI.create(server.url()), options);
        sockets.add(socket);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        socket.on(Socket.EVENT_CONNECT, a -> queue.add("connect"));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> queue.add("connect_error " + (a.length > 0 ? a[0] : "")));
        for (String e : events) {
            socket.on(e, a -> queue.add(e + " " + (a.length > 0 ? a[0] : "")));
        }
        socket.connect();
        return queue;
    }

    private static String transportName(String t) {
        return t.equals("websocket") ? WebSocket.NAME : Polling.NAME;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void refusesAHandshakeWithoutAValidToken(String transport) throws Exception {
        String none = connect(transportName(transport), null).poll(10, TimeUnit.SECONDS);
        assertNotNull(none);
        assertEquals("AUTH_NO_TOKEN", new JSONObject(none.substring("connect_error ".length())).getJSONObject("data").getString("code"));
        String forged = connect(transportName(transport), "not-a-token").poll(10, TimeUnit.SECONDS);
        assertNotNull(forged);
        assertEquals("AUTH_INVALID_TOKEN", new JSONObject(forged.substring("connect_error ".length())).getJSONObject("data").getString("code"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void committedMessagesReachMembersAndNoOneElse(String transport) throws Exception {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        RawApi.Account eve = api.signup("eve");
        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        BlockingQueue<String> bobs = connect(transportName(transport), bob.token(), "message:new", "message:update");
        BlockingQueue<String> eves = connect(transportName(transport), eve.token(), "message:new", "message:update");
        assertEquals("connect", bobs.poll(10, TimeUnit.SECONDS));
        assertEquals("connect", eves.poll(10, TimeUnit.SECONDS));

        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "live hello", "tempId", "t1")));
        String created = bobs.poll(10, TimeUnit.SECONDS);
        assertNotNull(created, "bob receives the new message");
        JSONObject message = new JSONObject(created.substring("message:new ".length()));
        assertEquals("live hello", message.getString("content"));
        assertEquals(1, message.getInt("id"));
        assertEquals(false, message.has("tempId"), "the tempId is the author's business");

        api.ok(api.patch("/message", alice.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1, "content", "edited")));
        String update = bobs.poll(10, TimeUnit.SECONDS);
        assertNotNull(update);
        JSONObject u = new JSONObject(update.substring("message:update ".length()));
        assertEquals("edit", u.getString("action"));
        assertEquals("1", u.get("messageID"), "messageID travels as a string on the socket");
        assertEquals(1, u.getLong("chatEventID"));
        assertEquals("edited", u.getString("content"));

        assertNull(eves.poll(300, TimeUnit.MILLISECONDS), "a non-member hears nothing");
    }
}
