package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's data is its owner's alone, whatever the umask: the data directory, {@code files/} and
 * {@code files/.partial/} are 0700, the database, its WAL journals and every uploaded file 0600 (as the client's).
 */
class ServerFilePermissionsTest {
    @TempDir
    Path dir;

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code find root -perm /077}: every path under {@code root} (itself included) that group or others may use. */
    private static String openToOthers(Path root) throws Exception {
        Process find = new ProcessBuilder("find", root.toString(), "-perm", "/077").redirectErrorStream(true).start();
        String out = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(find.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, find.exitValue(), out);
        return out;
    }

    @Test
    void aServeUnderUmask000KeepsEveryFolderAndFileItCreatesPrivate() throws Exception {
        // Two levels the server has to create, so created parents are checked too (the default data home case).
        Path home = dir.resolve("home");
        Path data = home.resolve("server");
        StringBuilder cmd = new StringBuilder("umask 000; exec");
        for (String a : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.novyse.cli.Main",
                "--data-dir", data.toString(), "serve", "--port", "0")) {
            cmd.append(' ').append(quote(a));
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", cmd.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process serve = pb.start();
        try {
            String url = null;
            BufferedReader err = new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = err.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertNotNull(url, "serve did not start:\n" + seen);

            RawApi api = new RawApi(url);
            RawApi.Account alice = api.signup("alice");
            String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Files",
                    "memberUUIDs", List.of()))).path("chat").path("uuid").asText();
            api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "hello")));
            byte[] bytes = "private bytes".getBytes(StandardCharsets.UTF_8);
            JsonNode pending = api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "tempId", "t-1",
                    "files", List.of(Map.of("name", "a.txt", "size", bytes.length, "mimeType", "text/plain")))));
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(pending.path("files").get(0).path("uploadURL").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            api.ok(api.post("/message/confirm", alice.token(), Map.of("messageUUID", pending.path("messageUUID").asText())));

            // Checked while the server runs, so SQLite's -wal and -shm files are there too.
            try (Stream<Path> files = Files.list(data.resolve("files"))) {
                assertEquals(1, files.filter(Files::isRegularFile).count(), "the upload is stored");
            }
            assertTrue(Files.exists(data.resolve("server.db-wal")), "the WAL journal exists");
            assertTrue(Files.isDirectory(data.resolve("files").resolve(".partial")));
            assertEquals("", openToOthers(home), "paths group or others may use");
        } finally {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    @Test
    void foldersLeftOpenByAnEarlierVersionAreClosedAtStart() throws Exception {
        Path data = dir.resolve("server");
        Path partial = data.resolve("files").resolve(".partial");
        Files.createDirectories(partial);
        for (Path p : List.of(data, data.resolve("files"), partial)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path db = data.resolve("server.db");
        try (NovyseServer server = TestServer.start(data)) {
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        try (NovyseServer server = TestServer.start(data)) {
            assertEquals("", openToOthers(data), "paths group or others may use");
        }
    }
}
