package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.cli.Main;
import dev.novyse.server.RawApi;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.SyncResult;
import dev.novyse.sync.TokenProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the end-to-end suites: API calls as an account, a synced client, the CLI in and out of process. */
final class E2e {
    private E2e() {}

    static final String PASSWORD = "correct horse";

    /** Requests as one account; {@code ok} ones must succeed, {@code tryCall} ones may be refused (never 5xx). */
    /**
     * Waits for the next millisecond: the server stamps messages to the millisecond and the chat list orders chats
     * with equal newest times by title, so a send that must be the newest (the chat a screen opens first) is made
     * after this, never in the same millisecond as the sends before it.
     */
    static void nextMillisecond() throws InterruptedException {
        Thread.sleep(2);
    }

    record As(RawApi api, RawApi.Account who) {
        String uuid() {
            return who.uuid();
        }

        JsonNode ok(String method, String path, Object body) {
            return api.ok(call(method, path, body));
        }

        RawApi.Reply call(String method, String path, Object body) {
            RawApi.Reply r = switch (method) {
                case "POST" -> api.post(path, who.token(), body);
                case "PUT" -> api.put(path, who.token(), body);
                case "PATCH" -> api.patch(path, who.token(), body);
                case "DELETE" -> api.delete(path, who.token(), body);
                case "GET" -> api.get(path, who.token());
                default -> throw new IllegalArgumentException(method);
            };
            if (r.status() >= 500) {
                throw new AssertionError(method + " " + path + " " + body + " -> " + r.status() + " " + r.text());
            }
            return r;
        }

        /** Returns true when the server accepted it. */
        boolean tryCall(String method, String path, Object body) {
            RawApi.Reply r = call(method, path, body);
            return r.status() == 200;
        }

        String createChat(String type, String name, String handle, String... members) {
            Map<String, Object> b = new HashMap<>();
            b.put("type", type);
            if (name != null) b.put("name", name);
            if (handle != null) b.put("handle", handle);
            b.put("memberUUIDs", List.of(members));
            return ok("POST", "/chat/create", b).path("chat").path("uuid").asText();
        }

        void join(String handle) {
            ok("POST", "/chat/join", Map.of("handle", handle));
        }

        long send(String chat, int sub, String content) {
            return ok("POST", "/message", Map.of("chatUUID", chat, "subID", sub, "content", content)).path("id").asLong();
        }

        static Map<String, Object> msg(String chat, int sub, long id) {
            return Map.of("chatUUID", chat, "subID", sub, "messageID", id);
        }

        static Map<String, Object> msg(String chat, int sub, long id, String key, Object value) {
            Map<String, Object> m = new HashMap<>(msg(chat, sub, id));
            m.put(key, value);
            return m;
        }
    }

    /** A client of one account: its own SQLite file and a sync engine with small pages. */
    static final class Client implements AutoCloseable {
        final Path file;
        final LocalDatabase db;
        final ApiClient api;
        final SyncEngine engine;

        Client(String baseUrl, String token, Path file, int pageLimit) {
            this.file = file;
            this.db = LocalDatabase.open(file);
            this.api = new ApiClient(URI.create(baseUrl), TokenProvider.fixed(token));
            this.engine = new SyncEngine(api, db, pageLimit);
        }

        SyncResult sync() {
            return engine.sync();
        }

        Projection projection() {
            return Projection.client(file);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    // ---- the CLI in-process -----------------------------------------------------------------------------

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\r?\n"));
        }
    }

    /** Runs {@code novyse args} in this JVM with {@code stdin} as standard input; captures stdout and stderr. */
    static synchronized Run cli(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            System.out.flush();
            System.err.flush();
            String errText = err.toString(StandardCharsets.UTF_8);
            CliStderr.record(args, errText);
            return new Run(code, out.toString(StandardCharsets.UTF_8), errText);
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Signs {@code username} up through the CLI (password on stdin) into {@code dataDir}. */
    static void cliSignup(Path dataDir, String server, String username) {
        Run r = cli(PASSWORD + "\n", "--data-dir", dataDir.toString(), "--server", server, "signup", username);
        if (r.code() != 0) throw new AssertionError("signup through the CLI failed: " + r);
    }

    /** The account folder the CLI made for its only account under {@code dataDir}. */
    static Path accountDir(Path dataDir) throws IOException {
        try (var s = Files.list(dataDir.resolve("accounts"))) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            if (dirs.size() != 1) throw new AssertionError("expected one account folder, got " + dirs);
            return dirs.get(0);
        }
    }

    static JsonNode credentials(Path dataDir) throws IOException {
        return dev.novyse.protocol.Json.mapper().readTree(accountDir(dataDir).resolve("credentials.json").toFile());
    }

    /** Points the stored credentials of the only account at another server (the file the CLI reads). */
    static void pointCredentialsAt(Path dataDir, String server) throws IOException {
        Path f = accountDir(dataDir).resolve("credentials.json");
        com.fasterxml.jackson.databind.node.ObjectNode c =
                (com.fasterxml.jackson.databind.node.ObjectNode) dev.novyse.protocol.Json.mapper().readTree(f.toFile());
        c.put("server", server);
        Files.writeString(f, c.toString());
    }

    // ---- the CLI as a process ---------------------------------------------------------------------------

    /** The test class path (surefire keeps it in surefire.test.class.path when it boots through a manifest jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static ProcessBuilder novyseProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-cp", classPath(), "dev.novyse.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NOVYSE_SERVER");
        pb.environment().remove("NOVYSE_DATA_DIR");
        pb.environment().remove("NOVYSE_ACCOUNT");
        return pb;
    }

    record Proc(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** Runs novyse in its own JVM to completion (stdin closed), capturing stdout bytes and stderr. */
    static Proc process(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = novyseProcess(args);
        Path err = Files.createTempFile("novyse-err", ".txt");
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("novyse " + String.join(" ", args) + " did not finish in " + timeoutSeconds + "s");
        }
        String errText = Files.readString(err);
        Files.deleteIfExists(err);
        CliStderr.record(args, errText);
        return new Proc(p.exitValue(), out, errText);
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
