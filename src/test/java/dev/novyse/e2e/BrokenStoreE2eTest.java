package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store that cannot be used — cut short, written by a newer version, read-only — fails a command with one line and
 * exit 6 naming the way out, and {@code novyse sync --rebuild} is that way: the file is kept aside, the sign-in
 * stays, and the message that was waiting in the outbox is delivered (once) from the fresh store.
 */
class BrokenStoreE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
        RawApi api = new RawApi(server.url());
        data = dir.resolve("cli");
        E2e.cliSignup(data, server.url(), "mender");
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        String me = E2e.credentials(data).path("userUUID").asText();
        String chat = bob.createChat("GROUP", "Mend", "mend", me);
        for (int i = 0; i < 300; i++) bob.send(chat, 0, "filler " + i + " " + "words ".repeat(20));
        assertEquals(0, E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet").code());
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    @Test
    void aStoreCutShort() throws Exception {
        wayOut("cut", List.of("sync", "chats"), store -> {
            try (RandomAccessFile f = new RandomAccessFile(store.toFile(), "rw")) {
                f.setLength(f.length() * 3 / 4); // the last pages: messages synced after the schema was made
            }
        }, false);
    }

    @Test
    void aStoreFromANewerVersion() throws Exception {
        wayOut("newer", List.of("sync", "chats"), store -> TestDb.exec(store, "PRAGMA user_version = 999"), false);
    }

    @Test
    void aReadOnlyStore() throws Exception {
        // Reading goes on (chats, export); what writes says the store cannot be written, and the way out.
        wayOut("readonly", List.of("sync", "send @mend more"), store -> Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("r--------")),
                true);
    }

    @Test
    void aStoreOpenInAnotherProcessIsNotMovedAside() throws Exception {
        Path home = dir.resolve("in-use");
        CliContractE2eTest.copyTree(data, home);
        Path store = E2e.accountDir(home).resolve("store.db");
        // A watch holds the store open, as the chat screen does; its first status line says it is running.
        Process watch = E2e.novyseProcess("--data-dir", home.toString(), "watch", "--status")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(out.readLine() != null, "watch printed its status");
            E2e.Proc refused = run(false, "--data-dir", home.toString(), "sync", "--rebuild");
            assertEquals(6, refused.code(), refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().contains("is open in another novyse"), refused.err());
            try (var files = Files.list(store.getParent())) {
                assertEquals(0, files.filter(f -> f.getFileName().toString().contains(".damaged-")).count(),
                        "nothing moved aside");
            }
        } finally {
            watch.destroy();
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
        }
        E2e.Proc rebuilt = run(false, "--data-dir", home.toString(), "sync", "--rebuild");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.err().contains("moved the store aside"), rebuilt.err());
    }

    interface Breaking {
        void apply(Path store) throws Exception;
    }

    void wayOut(String name, List<String> failing, Breaking breaking, boolean withoutOverride) throws Exception {
        Path home = dir.resolve(name);
        CliContractE2eTest.copyTree(data, home);
        E2e.pointCredentialsAt(home, "http://127.0.0.1:" + E2e.deadPort());
        String text = "waiting in the outbox of " + name;
        assertEquals(7, E2e.cli("", "--data-dir", home.toString(), "send", "@mend", text).code());
        E2e.pointCredentialsAt(home, server.url());
        JsonNode before = E2e.credentials(home);
        Path store = E2e.accountDir(home).resolve("store.db");
        breaking.apply(store);

        for (String command : failing) {
            List<String> args = new ArrayList<>(List.of("--data-dir", home.toString()));
            args.addAll(List.of(command.split(" ")));
            E2e.Proc failed = run(withoutOverride, args.toArray(String[]::new));
            assertEquals(6, failed.code(), command + ": " + failed.err());
            assertEquals(1, failed.err().lines().count(), command + ": " + failed.err());
            assertTrue(failed.err().contains("novyse sync --rebuild"), failed.err());
        }

        E2e.Proc rebuilt = run(withoutOverride, "--data-dir", home.toString(), "sync", "--rebuild");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.err().contains("1 outbox entry carried over"), rebuilt.err());
        try (var files = Files.list(store.getParent())) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().matches("store\\.db\\.damaged-\\d{8}T\\d{6}Z"))
                    .count(), "the damaged file is kept aside");
        }
        JsonNode after = E2e.credentials(home);
        assertEquals(before.path("sessionKey"), after.path("sessionKey"), "the sign-in is kept");
        assertEquals(before.path("userUUID"), after.path("userUUID"));
        assertEquals(0, Projection.scalar(store, "SELECT COUNT(*) FROM pending_message"));
        assertEquals(1, Projection.scalar(store, "SELECT COUNT(*) FROM message WHERE content = '" + text + "'"));
        long onServer = 0;
        for (JsonNode m : Projection.initializeJson(server.url(), after.path("token").asText()).path("messages")) {
            if (text.equals(m.path("content").asText(null))) onServer++;
        }
        assertEquals(1, onServer, "delivered once");
        assertEquals(0, run(withoutOverride, "--data-dir", home.toString(), "chats").code());
        assertEquals(0, run(withoutOverride, "--data-dir", home.toString(), "send", "@mend", "after").code());
    }

    /**
     * The CLI in its own JVM; {@code withoutOverride}: as root, without the capability that lets root write any file,
     * so that a read-only file is read-only to it as to anyone.
     */
    static E2e.Proc run(boolean withoutOverride, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = E2e.novyseProcess(args);
        if (withoutOverride && "root".equals(System.getProperty("user.name"))) {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                    "--"));
            cmd.addAll(pb.command());
            pb.command(cmd);
        }
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "novyse " + String.join(" ", args) + " did not finish");
        String errText = Files.readString(err);
        CliStderr.record(args, errText);
        return new E2e.Proc(p.exitValue(), out, errText);
    }
}
