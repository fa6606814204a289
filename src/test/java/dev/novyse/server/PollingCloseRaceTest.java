package dev.novyse.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Engine.IO long-polling, raw, as quick as a client can be: a session is usable by the very next request after its
 * handshake reply (never "Session ID unknown"), and a poll (GET) sent together with the POST that closes the
 * session is answered at once — with a noop if the server parked it first, "Session ID unknown" if the close came
 * first — never left hanging. The reference JavaScript client closes that way when its handshake is refused, and a
 * hung poll kept its node process alive for minutes. Both were races of engine.io-server's threads (see
 * {@code EngineIoServlet}); 300 rounds caught the hang within a few dozen every time before the fix.
 */
class PollingCloseRaceTest {
    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dir;
    NovyseServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String sid) {
        return URI.create(server.url() + "/socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid));
    }

    @Test
    void theNextRequestFindsTheSessionAndAPollRacingItsCloseIsAnsweredAtOnce() throws Exception {
        for (int i = 0; i < 300; i++) {
            String open = http.send(HttpRequest.newBuilder(uri(null)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = SID.matcher(open);
            assertTrue(m.find(), open);
            String sid = m.group(1);
            CompletableFuture<HttpResponse<String>> poll = http.sendAsync(HttpRequest.newBuilder(uri(sid)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> close = http.sendAsync(HttpRequest.newBuilder(uri(sid))
                    .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString("1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> closed = close.get(5, TimeUnit.SECONDS);
            assertEquals(200, closed.statusCode(), "round " + i + ": " + closed.body());
            try {
                HttpResponse<String> answered = poll.get(5, TimeUnit.SECONDS);
                String got = answered.statusCode() + " " + answered.body();
                assertTrue(got.equals("200 6") || got.startsWith("400 ") && got.contains("Session ID unknown"),
                        "round " + i + ": a noop for a parked poll, 'unknown session' for a late one, not " + got);
            } catch (TimeoutException e) {
                fail("round " + i + ": the poll of a closed session hung");
            }
        }
    }

    private String handshake() throws Exception {
        String open = http.send(HttpRequest.newBuilder(uri(null)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = SID.matcher(open);
        assertTrue(m.find(), open);
        return m.group(1);
    }

    private CompletableFuture<HttpResponse<String>> post(String sid, String packets) {
        return http.sendAsync(HttpRequest.newBuilder(uri(sid)).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(packets)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Two contacts whose Socket.IO CONNECTs arrive together: each connect announces presence to the other. Over
     * polling the library handles a POST holding its session's lock, so announcing from there to the other session
     * (whose POST holds that one's lock) deadlocked both request threads for good.
     */
    @Test
    void contactsConnectingAndLeavingAtTheSameMomentNeverBlockEachOther() throws Exception {
        RawApi api = new RawApi(server.url());
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        api.ok(api.post("/chat/create", alice.token(), java.util.Map.of("type", "GROUP", "name", "Both",
                "memberUUIDs", java.util.List.of(bob.uuid()))));
        for (int i = 0; i < 150; i++) {
            String a = handshake();
            String b = handshake();
            var connectA = post(a, "40{\"token\":\"" + alice.token() + "\"}");
            var connectB = post(b, "40{\"token\":\"" + bob.token() + "\"}");
            try {
                assertEquals(200, connectA.get(5, TimeUnit.SECONDS).statusCode(), "round " + i);
                assertEquals(200, connectB.get(5, TimeUnit.SECONDS).statusCode(), "round " + i);
                var closeA = post(a, "1");
                var closeB = post(b, "1");
                closeA.get(5, TimeUnit.SECONDS);
                closeB.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("round " + i + ": a CONNECT or close of two contacts hung");
            }
        }
    }
}
