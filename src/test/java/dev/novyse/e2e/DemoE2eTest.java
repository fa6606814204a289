package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code novyse demo} as a real process: it serves, prints where, and leaves nothing behind on SIGTERM. */
class DemoE2eTest {
    @TempDir
    Path dir;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    /** A demo process with its own temp dir and XDG dirs, so the test sees exactly what it creates. */
    private Process demo(String... args) throws IOException {
        ProcessBuilder pb = E2e.novyseProcess(args);
        // SIGINT at its default, as a terminal's Ctrl-C meets it: Maven started in the background (cmd &, nohup, a CI
        // runner) hands its children an ignored SIGINT, kept across exec. env execs, so the pid stays the demo's.
        pb.command().addAll(0, List.of("env", "--default-signal=INT"));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("XDG_"));
        env.put("TMPDIR", tmp().toString()); // as a shell's: the demo's folders go there
        env.put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("xdg-cache").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private Path tmp() throws IOException {
        return Files.createDirectories(dir.resolve("tmp"));
    }

    private List<Path> demoDirs() throws IOException {
        try (var s = Files.list(tmp())) {
            return s.filter(f -> f.getFileName().toString().startsWith("novyse-demo-")).toList();
        }
    }

    /** A stream's lines as they come; {@link #whole} once it has ended (the process exited and closed it). */
    private static final class Lines extends LinkedBlockingQueue<String> {
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        Lines whole() throws InterruptedException {
            assertTrue(ended.await(60, TimeUnit.SECONDS), "the stream ended: " + this);
            return this;
        }
    }

    private static Lines lines(java.io.InputStream in) {
        Lines q = new Lines();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (IOException e) {
                // process gone
            } finally {
                q.ended.countDown();
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static void sigterm(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIGTERM ends the demo");
    }

    /** Starts a headless demo and returns what it printed on stdout. */
    private JsonNode startHeadless(Process p, BlockingQueue<String> err) throws Exception {
        BlockingQueue<String> out = lines(p.getInputStream());
        String line = out.poll(120, TimeUnit.SECONDS);
        assertNotNull(line, "the headless demo prints where it serves; stderr: " + err);
        return Json.mapper().readTree(line);
    }

    @Test
    void headlessDemoServesASeededWorkspaceThatTheCliCanUseAndSigtermRemovesEverything() throws Exception {
        Process p = demo("demo", "--headless", "--seed", "3");
        Lines err = lines(p.getErrorStream());
        JsonNode info = startHeadless(p, err);
        System.out.println("novyse demo --headless: seeded in " + info.path("seedMillis").asLong() + " ms; " + info);
        assertTrue(info.path("server").asText().matches("http://127\\.0\\.0\\.1:\\d+"), info.toString());
        assertEquals("you", info.path("username").asText());
        assertTrue(info.path("messages").asInt() > 2000, info.toString());
        Path data = Path.of(info.path("dataDir").asText());
        List<Path> made = demoDirs();
        assertEquals(1, made.size(), "one temp dir: " + made);
        assertTrue(data.startsWith(made.get(0)), data + " inside " + made);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.get(0))));

        // The printed data dir is a normal signed-in data dir: the one-shot CLI works against the demo server.
        E2e.Proc chats = E2e.process(60, "--data-dir", data.toString(), "chats", "--sync", "--format", "jsonl");
        assertEquals(0, chats.code(), chats.err());
        List<JsonNode> rows = new ArrayList<>();
        for (String l : chats.outText().split("\n")) rows.add(Json.mapper().readTree(l));
        assertEquals(List.of("DM", "FORUM", "GROUP", "CHANNEL").stream().sorted().toList(),
                rows.stream().map(r -> r.path("type").asText()).distinct().sorted().toList(), chats.outText());
        assertTrue(rows.stream().anyMatch(r -> r.path("unread").asInt() > 0), chats.outText());

        sigterm(p);
        assertEquals(0, p.exitValue(), "stderr: " + err);
        assertEquals(List.of(), demoDirs(), "the demo removed its directories");
        assertTrue(err.whole().stream().noneMatch(l -> l.contains("Exception")), err.toString());
    }

    @Test
    void ctrlCWhileTheDemoStartsExits130WithOneLineAndRemovesEverything() throws Exception {
        Process p = demo("demo", "--headless");
        Lines err = lines(p.getErrorStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (demoDirs().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, demoDirs().size(), "the demo made its directory");
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Ctrl-C ends the start");
        assertEquals(130, p.exitValue(), "stderr: " + err);
        assertEquals(1, err.whole().size(), "one line: " + err);
        assertTrue(err.peek().startsWith("novyse demo: interrupted"), err.toString());
        assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing on stdout");
        assertEquals(List.of(), demoDirs(), "the demo removed its directories");
    }

    @Test
    void keepLeavesTheServerAndClientStoresBehind() throws Exception {
        Process p = demo("demo", "--headless", "--keep");
        BlockingQueue<String> err = lines(p.getErrorStream());
        JsonNode info = startHeadless(p, err);
        sigterm(p);
        assertEquals(0, p.exitValue(), "stderr: " + err);
        assertTrue(Files.isRegularFile(Path.of(info.path("serverDataDir").asText()).resolve("server.db")));
        assertTrue(Files.isRegularFile(E2e.accountDir(Path.of(info.path("dataDir").asText())).resolve("store.db")));
        assertEquals(1, demoDirs().size());
    }

    @Test
    void withoutATerminalTheDemoSaysSoAtOnceExitsTwoAndLeavesNothing() throws Exception {
        Process p = demo("demo");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        CliStderr.record(new String[]{"demo"}, err);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("needs a terminal"), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing on stdout");
        assertEquals(List.of(), demoDirs());
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        E2e.Run port = E2e.cli(null, "demo", "--port", "70000");
        assertEquals(2, port.code(), port.toString());
        assertEquals(1, port.errLines().size(), port.err());
        assertTrue(port.err().startsWith("novyse: --port must be between 0 and 65535"), port.err());
        E2e.Run dataDir = E2e.cli(null, "--data-dir", dir.toString(), "demo");
        assertEquals(2, dataDir.code(), dataDir.toString());
        assertEquals(1, dataDir.errLines().size(), dataDir.err());
        assertFalse(dataDir.err().contains("Exception"));
    }
}
