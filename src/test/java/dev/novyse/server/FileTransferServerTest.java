package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The presigned-URL file flow against a real server: POST /message with files → PUT each file → confirm, the
 * download route, and every refusal with its status and code. Nothing a refused request sends is kept.
 */
class FileTransferServerTest {
    @TempDir
    Path dir;
    MutableClock clock;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    RawApi.Account mallory;
    String chat;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        clock = new MutableClock();
        server = TestServer.start(dir.resolve("server"), clock, Duration.ofDays(1));
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        mallory = api.signup("mallory");
        chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Files",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] binary(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xff; // never valid UTF-8
        b[1] = (byte) 0xfe;
        b[2] = 0;
        return b;
    }

    JsonNode sendWithFile(String tempId, String name, long size) {
        return api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "see attached",
                "tempId", tempId, "files", List.of(Map.of("name", name, "size", size, "mimeType", "application/x-test")))));
    }

    int put(String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    RawApi.Reply putReply(String url, byte[] body) throws Exception {
        return api.exchange(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    long messagesSeenBy(RawApi.Account who) {
        return api.ok(api.get("/user/initialize", who.token())).path("messages").size();
    }

    /** Files at their final place in the server's file store (the .partial folder excluded). */
    List<Path> storedFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("server").resolve("files"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    List<Path> partialFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("server").resolve("files").resolve(".partial"))) {
            return s.toList();
        }
    }

    @Test
    void fileUrlsUseTheAddressAProxyForwardsAndIgnoreMalformedOnes() {
        assertEquals("https://chat.example.org", NovyseServer.base("chat.example.org", "HTTPS", "127.0.0.1:8080", "http", "b"));
        assertEquals("http://h.example:81", NovyseServer.base("evil/path", "ftp", "h.example:81", "http", "b"),
                "a malformed forwarded host or scheme is ignored");
        assertEquals("http://[::1]:8080", NovyseServer.base(null, null, "[::1]:8080", "http", "b"));
        assertEquals("b", NovyseServer.base(null, "https", "x y", "http", "b"), "no usable host: the bound address");
    }

    @Test
    void aFileTravelsByteForByteAndOnlyAfterTheConfirm() throws Exception {
        byte[] bytes = binary(3 * 1024 * 1024 + 17, 1);
        JsonNode pending = sendWithFile("t-1", "data.bin", bytes.length);
        assertEquals("pending", pending.path("status").asText());
        String messageUUID = pending.path("messageUUID").asText();
        assertEquals(messageUUID, pending.path("uuid").asText());
        JsonNode file = pending.path("files").get(0);
        assertEquals("data.bin", file.path("name").asText());
        assertFalse(file.path("uploaded").asBoolean(true));
        assertTrue(file.path("uploadURL").asText().startsWith(server.url() + "/files/upload/" + file.path("uuid").asText()));
        assertEquals(0, messagesSeenBy(bob), "a pending message is invisible");

        assertEquals(200, put(file.path("uploadURL").asText(), bytes));
        assertEquals(0, messagesSeenBy(bob), "uploaded but not confirmed is still invisible");
        JsonNode sent = api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", messageUUID)));
        assertEquals(1, sent.path("id").asLong());
        assertEquals("t-1", sent.path("tempId").asText());
        assertEquals(bytes.length, sent.path("files").get(0).path("size").asLong());
        assertEquals("application/x-test", sent.path("files").get(0).path("mimeType").asText());

        JsonNode bobsCopy = api.ok(api.get("/user/initialize", bob.token())).path("messages").get(0);
        String fileUUID = bobsCopy.path("files").get(0).path("uuid").asText();
        assertEquals(file.path("uuid").asText(), fileUUID);
        JsonNode info = api.ok(api.get("/file?fileUUID=" + fileUUID, bob.token()));
        assertEquals("data.bin", info.path("name").asText());
        assertEquals(bytes.length, info.path("size").asLong());
        HttpResponse<byte[]> download = get(info.path("downloadURL").asText());
        assertEquals(200, download.statusCode());
        assertArrayEquals(bytes, download.body());
        assertEquals(String.valueOf(bytes.length), download.headers().firstValue("Content-Length").orElse(null));

        // A retried confirm and a retried send answer the committed message, and make nothing new.
        assertEquals(1, api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", messageUUID))).path("id").asLong());
        JsonNode again = sendWithFile("t-1", "data.bin", bytes.length);
        assertEquals(1, again.path("id").asLong());
        assertTrue(again.path("status").isMissingNode());
        assertEquals(1, messagesSeenBy(bob));
        assertEquals(List.of(fileUUID), storedFiles().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aRetriedSendReturnsTheSamePendingMessageAndSaysWhatIsUploaded() throws Exception {
        byte[] a = binary(1000, 2);
        JsonNode first = api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "tempId", "t-2",
                "files", List.of(Map.of("name", "a", "size", 1000), Map.of("name", "b", "size", 0)))));
        assertEquals(200, put(first.path("files").get(0).path("uploadURL").asText(), a));
        JsonNode second = api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "tempId", "t-2",
                "files", List.of(Map.of("name", "a", "size", 1000), Map.of("name", "b", "size", 0)))));
        assertEquals(first.path("messageUUID").asText(), second.path("messageUUID").asText());
        assertEquals(first.path("files").get(0).path("uuid").asText(), second.path("files").get(0).path("uuid").asText());
        assertTrue(second.path("files").get(0).path("uploaded").asBoolean());
        assertFalse(second.path("files").get(1).path("uploaded").asBoolean());
        RawApi.Reply early = api.post("/message/confirm", alice.token(), Map.of("messageUUID", first.path("messageUUID").asText()));
        assertEquals(409, early.status(), early.text());
        assertEquals("UPLOAD_INCOMPLETE", early.error());
        assertEquals(200, put(second.path("files").get(1).path("uploadURL").asText(), new byte[0]));
        JsonNode sent = api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", first.path("messageUUID").asText())));
        assertEquals(2, sent.path("files").size());
        assertEquals(1, messagesSeenBy(bob));
    }

    @Test
    void badUploadsAreRefusedAndLeaveNothing() throws Exception {
        byte[] bytes = binary(50_000, 3);
        JsonNode pending = sendWithFile("t-3", "x.bin", bytes.length);
        String url = pending.path("files").get(0).path("uploadURL").asText();
        String fileUUID = pending.path("files").get(0).path("uuid").asText();

        RawApi.Reply forged = putReply(url.replaceAll("sig=[^&]+", "sig=AAAA"), bytes);
        assertEquals(403, forged.status(), forged.text());
        assertEquals("SIGNATURE_INVALID", forged.error());
        RawApi.Reply longer = putReply(url.replaceAll("exp=(\\d+)", "exp=9$1"), bytes);
        assertEquals("SIGNATURE_INVALID", longer.error(), "a stretched expiry breaks the signature");
        RawApi.Reply unsigned = putReply(server.url() + "/files/upload/" + fileUUID, bytes);
        assertEquals(403, unsigned.status());
        RawApi.Reply otherFile = putReply(url.replace(fileUUID, java.util.UUID.randomUUID().toString()), bytes);
        assertEquals("SIGNATURE_INVALID", otherFile.error(), "a URL is good for its own file only");
        RawApi.Reply traversal = putReply(server.url() + "/files/upload/..%2Fserver.db?exp=1&sig=x", bytes);
        assertEquals(404, traversal.status(), traversal.text());

        RawApi.Reply shorter = putReply(url, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertEquals(400, shorter.status(), shorter.text());
        assertEquals("BAD_REQUEST", shorter.error());
        assertTrue(shorter.body().path("message").asText().contains("declared size"), shorter.text());

        // Declares the right length, then the connection dies half way.
        int status = rawPut(url, bytes.length, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(status == -1 || status == 400, "a cut upload is not accepted: " + status);
        // With no reply (-1) the server notices the cut on its own thread: polled, not a fixed pause.
        assertEquals(List.of(), assertEventually(this::storedFiles), "a cut upload left a file");
        assertEquals(List.of(), assertEventually(this::partialFiles), "a cut upload left a partial file");
        RawApi.Reply confirm = api.post("/message/confirm", alice.token(), Map.of("messageUUID", pending.path("messageUUID").asText()));
        assertEquals(409, confirm.status());

        RawApi.Reply others = api.post("/message/confirm", bob.token(), Map.of("messageUUID", pending.path("messageUUID").asText()));
        assertEquals(404, others.status(), "only the author confirms");
        assertEquals(404, api.post("/message/confirm", alice.token(), Map.of("messageUUID", "nope")).status());
        assertEquals(400, api.post("/message/confirm", alice.token(), "{}").status());

        clock.advance(FileUrls.UPLOAD_LIFETIME.plusSeconds(1));
        RawApi.Reply expired = putReply(url, bytes);
        assertEquals(403, expired.status());
        assertEquals("URL_EXPIRED", expired.error());
        assertEquals(List.of(), storedFiles());
        assertEquals(0, messagesSeenBy(bob));
    }

    @Test
    void badDeclarationsAreRefusedBeforeAnythingIsWritten() {
        String before = api.get("/user/initialize", alice.token()).text();
        record Bad(Object files, int status) {
        }
        for (Bad b : List.of(new Bad(List.of(Map.of("size", 1)), 400),
                new Bad(List.of(Map.of("name", " ", "size", 1)), 400),
                new Bad(List.of(Map.of("name", "a", "size", -1)), 400),
                new Bad(List.of(Map.of("name", "a")), 400),
                new Bad(List.of(Map.of("name", "a", "size", NewMessages.MAX_FILE_BYTES + 1)), 413),
                new Bad(List.of(Map.of("name", "a", "size", 1, "duration", "long")), 400),
                new Bad("a.txt", 400))) {
            RawApi.Reply r = api.post("/message", alice.token(), Map.of("chatUUID", chat, "files", b.files()));
            assertEquals(b.status(), r.status(), b + " -> " + r.text());
            assertFalse(r.text().contains("Exception"), r.text());
        }
        RawApi.Reply outsider = api.post("/message", mallory.token(), Map.of("chatUUID", chat,
                "files", List.of(Map.of("name", "a", "size", 1))));
        assertEquals(403, outsider.status());
        assertEquals(before, api.get("/user/initialize", alice.token()).text());
    }

    @Test
    void onlyMembersGetAFileAndDownloadUrlsExpire() throws Exception {
        byte[] bytes = "hello file".getBytes(StandardCharsets.UTF_8);
        JsonNode pending = sendWithFile("t-4", "hello.txt", bytes.length);
        String fileUUID = pending.path("files").get(0).path("uuid").asText();
        RawApi.Reply notYet = api.get("/file?fileUUID=" + fileUUID, alice.token());
        assertEquals(404, notYet.status(), "an unconfirmed file is not downloadable");
        assertEquals(200, put(pending.path("files").get(0).path("uploadURL").asText(), bytes));
        api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", pending.path("messageUUID").asText())));

        RawApi.Reply outsider = api.get("/file?fileUUID=" + fileUUID, mallory.token());
        assertEquals(403, outsider.status(), outsider.text());
        assertEquals("FORBIDDEN", outsider.error());
        assertEquals(401, api.get("/file?fileUUID=" + fileUUID, null).status());
        assertEquals(404, api.get("/file?fileUUID=" + java.util.UUID.randomUUID(), bob.token()).status());
        assertEquals(400, api.get("/file", bob.token()).status());

        String url = api.ok(api.get("/file?fileUUID=" + fileUUID, bob.token())).path("downloadURL").asText();
        // Behind a reverse proxy ending TLS: the URL is the one the client reached, not this process's plain HTTP.
        RawApi.Reply proxied = api.exchange(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()
                        + "/file?fileUUID=" + fileUUID)).header("Authorization", "Bearer " + bob.token())
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "chat.example.org, 10.0.0.2").build());
        String outside = api.ok(proxied).path("downloadURL").asText();
        assertEquals("https://chat.example.org" + url.substring(url.indexOf("/files/download/")), outside);
        assertEquals(403, get(url.replaceAll("sig=[^&]+", "sig=AAAA")).statusCode());
        assertEquals(403, get(url.replaceAll("exp=(\\d+)", "exp=9$1")).statusCode(), "a stretched expiry");
        // An upload URL does not download, and a download URL does not upload.
        assertEquals(403, putReply(url.replace("/files/download/", "/files/upload/"), bytes).status());
        assertArrayEquals(bytes, get(url).body());
        clock.advance(FileUrls.DOWNLOAD_LIFETIME.plusSeconds(1));
        HttpResponse<byte[]> late = get(url);
        assertEquals(403, late.statusCode());
        assertTrue(new String(late.body(), StandardCharsets.UTF_8).contains("URL_EXPIRED"));

        // Deleting the message removes its file.
        api.ok(api.delete("/message", alice.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1)));
        assertEquals(404, api.get("/file?fileUUID=" + fileUUID, bob.token()).status());
        assertEquals(List.of(), assertEventually(this::storedFiles));
    }

    @Test
    void cancellingDropsThePendingMessageAndItsUploads() throws Exception {
        byte[] bytes = binary(4096, 5);
        JsonNode pending = sendWithFile("t-5", "c.bin", bytes.length);
        String fileUUID = pending.path("files").get(0).path("uuid").asText();
        String url = pending.path("files").get(0).path("uploadURL").asText();
        assertEquals(200, put(url, bytes));
        assertEquals(404, api.delete("/file?fileUUID=" + fileUUID, bob.token(), "{}").status(), "only the uploader cancels");
        JsonNode cancelled = api.ok(api.send("DELETE", "/file?fileUUID=" + fileUUID, alice.token(), (String) null));
        assertEquals(pending.path("messageUUID").asText(), cancelled.path("messageUUID").asText());
        assertEquals(List.of(), assertEventually(this::storedFiles));
        assertEquals(404, putReply(url, bytes).status());
        assertEquals(404, api.post("/message/confirm", alice.token(), Map.of("messageUUID", pending.path("messageUUID").asText())).status());
        assertEquals(404, api.delete("/file", alice.token(), Map.of("fileUUID", fileUUID)).status());

        // The same tempId starts afresh; a sent file cannot be cancelled or overwritten.
        JsonNode fresh = sendWithFile("t-5", "c.bin", bytes.length);
        assertNotEquals(pending.path("messageUUID").asText(), fresh.path("messageUUID").asText());
        String freshUrl = fresh.path("files").get(0).path("uploadURL").asText();
        assertEquals(200, put(freshUrl, bytes));
        api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", fresh.path("messageUUID").asText())));
        RawApi.Reply late = api.delete("/file", alice.token(), Map.of("fileUUID", fresh.path("files").get(0).path("uuid").asText()));
        assertEquals(409, late.status(), late.text());
        assertEquals(409, putReply(freshUrl, bytes).status());
        assertEquals(1, messagesSeenBy(bob));
    }

    @Test
    void messageNewGoesOutAtTheConfirmNotBefore() throws Exception {
        io.socket.client.Socket socket = io.socket.client.IO.socket(URI.create(server.url()), io.socket.client.IO.Options.builder()
                .setTransports(new String[]{io.socket.engineio.client.transports.WebSocket.NAME}).setReconnection(false)
                .setAuth(Map.of("token", bob.token())).build());
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        socket.on(io.socket.client.Socket.EVENT_CONNECT, a -> events.add("connect"));
        socket.on("message:new", a -> events.add(String.valueOf(a[0])));
        try {
            socket.connect();
            assertEquals("connect", events.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            byte[] bytes = binary(10_000, 6);
            JsonNode pending = sendWithFile("t-6", "live.bin", bytes.length);
            assertEquals(200, put(pending.path("files").get(0).path("uploadURL").asText(), bytes));
            assertEquals(null, events.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS), "announced before the confirm");
            api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", pending.path("messageUUID").asText())));
            String announced = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(announced != null && announced.contains("live.bin"), "message:new with the file: " + announced);
            assertFalse(announced.contains("t-6"), "the author's tempId is not sent to others");
        } finally {
            socket.close();
        }
    }

    interface Check<T> {
        T get() throws Exception;
    }

    /** Deletions after a commit run right after the reply; give them a moment. */
    static <T> T assertEventually(Check<List<Path>> check) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Path> last = check.get();
        while (!last.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = check.get();
        }
        @SuppressWarnings("unchecked")
        T t = (T) last;
        return t;
    }

    /** A PUT that declares {@code declared} bytes, sends {@code body}, then closes; the status, or -1 if none came. */
    int rawPut(String url, long declared, byte[] body) throws IOException {
        URI u = URI.create(url);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), u.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + u.getRawPath() + "?" + u.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1:" + u.getPort()
                    + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return -1;
        }
    }
}
