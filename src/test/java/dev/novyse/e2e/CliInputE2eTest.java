package dev.novyse.e2e;

import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input the CLI refuses with one line saying what is wrong: a data directory that is a file, stdin that is not UTF-8,
 * a message longer than a server takes, an export into a missing folder.
 */
class CliInputE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
        data = dir.resolve("cli");
        E2e.cliSignup(data, server.url(), "typist");
        E2e.As bob = new E2e.As(new RawApi(server.url()), new RawApi(server.url()).signup("bob"));
        bob.createChat("GROUP", "Input", "input", E2e.credentials(data).path("userUUID").asText());
        assertEquals(0, E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet").code());
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static void assertOneLine(E2e.Run r, int code, String says) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(says), r.err());
    }

    @Test
    void aDataDirectoryThatIsAFileIsSaidToBeOne() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertOneLine(E2e.cli("", "--data-dir", file.toString(), "chats"), 2, "is a file, not a folder");
        assertOneLine(E2e.cli(E2e.PASSWORD + "\n", "--data-dir", file.toString(), "--server", server.url(), "login",
                "typist"), 2, "is a file, not a folder");
    }

    @Test
    void stdinThatIsNotUtf8IsRefusedNotReplaced() throws Exception {
        ProcessBuilder pb = E2e.novyseProcess("--data-dir", data.toString(), "send", "@input", "-");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().write(new byte[]{'c', 'a', 'f', (byte) 0xe9, '\n'}); // Latin-1 "café"
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(err);
        CliStderr.record(new String[]{"send"}, text);
        assertEquals(2, p.exitValue(), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("not UTF-8"), text);
        assertEquals(0, Projection.scalar(E2e.accountDir(data).resolve("store.db"), "SELECT COUNT(*) FROM pending_message"));
    }

    @Test
    void aMessageLongerThanAServerTakesIsRefusedBeforeItIsQueued() throws Exception {
        int max = dev.novyse.sync.OutboxSender.MAX_CONTENT;
        assertOneLine(E2e.cli("x".repeat(max + 1), "--data-dir", data.toString(), "send", "@input", "-"), 2,
                "the message is 16,385 characters long; a server takes at most 16,384; nothing was queued");
        assertEquals(0, Projection.scalar(E2e.accountDir(data).resolve("store.db"), "SELECT COUNT(*) FROM pending_message"));
        E2e.Run atTheLimit = E2e.cli("y".repeat(max), "--data-dir", data.toString(), "send", "@input", "-");
        assertEquals(0, atTheLimit.code(), atTheLimit.toString());
    }

    @Test
    void stdinKeepsItsLinesAndSpacesAndLosesTheLineBreaksAtItsEnd() throws Exception {
        String typed = "  indented\n\nafter a blank line ✓\r\n\n\n";
        E2e.Run sent = E2e.cli(typed, "--data-dir", data.toString(), "send", "@input", "-");
        assertEquals(0, sent.code(), sent.toString());
        assertEquals(0, E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet").code());
        E2e.Proc export = E2e.process(60, "--data-dir", data.toString(), "export", "--chat", "@input"); // stdout, as piped
        String last = export.outText().strip().lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError(export.err()));
        assertEquals("  indented\n\nafter a blank line ✓",
                dev.novyse.protocol.Json.mapper().readTree(last).path("content").asText(), last);
    }

    @Test
    void aSignupTheServerRefusesForWhatWasTypedIsAUsageError() {
        Path other = dir.resolve("refused");
        assertOneLine(E2e.cli(E2e.PASSWORD + "\n", "--data-dir", other.toString(), "--server", server.url(), "signup",
                "Bad Name"), 2, "username must be");
        assertOneLine(E2e.cli(E2e.PASSWORD + "\n", "--data-dir", other.toString(), "--server", server.url(), "signup",
                "bob"), 2, "username 'bob' is taken");
        E2e.Run shortPassword = E2e.cli("short\n", "--data-dir", other.toString(), "--server", server.url(), "signup",
                "fine_name");
        assertOneLine(shortPassword, 2, "password must be");
        // In the server's words alone: no request line, error code or HTTP status (those come with --verbose).
        assertEquals("novyse: password must be at least 8 characters\n", shortPassword.err());
        E2e.Run verbose = E2e.cli("short\n", "--verbose", "--data-dir", other.toString(), "--server", server.url(),
                "signup", "fine_name");
        assertTrue(verbose.err().startsWith("novyse: POST /signup/password failed: password must be at least 8"
                + " characters (BAD_REQUEST) [HTTP 400]"), verbose.err());
    }

    @Test
    void anExportIntoAMissingFolderSaysTheFolderIsMissing() {
        Path target = dir.resolve("missing").resolve("x.jsonl");
        assertOneLine(E2e.cli("", "--data-dir", data.toString(), "export", "-o", target.toString()), 2,
                "the folder " + target.getParent() + " does not exist");
    }
}
