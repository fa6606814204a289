package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code novyse watch} as a real process: JSON lines, a closed pipe and Ctrl-C end it with exit 0. */
class WatchProcessTest {
    @TempDir
    Path dir;
    LiveFixture fx;
    RawApi.Account alice;
    RawApi.Account bob;
    Path data;
    final List<Process> processes = new ArrayList<>();

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CP = System.getProperty("java.class.path");

    @BeforeEach
    void start() throws Exception {
        fx = new LiveFixture(TestServer.start(dir.resolve("server")));
        alice = fx.api.signup("alice");
        bob = fx.api.signup("bob");
        data = dir.resolve("bob-data");
        Process login = builder(List.of("login", "bob")).start();
        login.getOutputStream().write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        login.getOutputStream().close();
        assertTrue(login.waitFor(60, TimeUnit.SECONDS));
        String err = new String(login.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        dev.novyse.e2e.CliStderr.record(new String[]{"login"}, err);
        assertEquals(0, login.exitValue(), err);
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        fx.close();
    }

    private List<String> novyse(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-cp", CP, "dev.novyse.cli.Main", "--server", fx.server.url(),
                "--data-dir", data.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** A novyse process isolated from the user's environment and config. */
    private ProcessBuilder builder(List<String> args) {
        return isolate(new ProcessBuilder(novyse(args)));
    }

    private ProcessBuilder isolate(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        return pb;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Alice keeps talking in {@code chat} until stopped. */
    private Thread talker(String chat, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            for (int i = 1; running.get(); i++) {
                fx.send(alice, chat, 0, "tick " + i);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void watchPipedIntoHeadEndsCleanlyWithThreeJsonLines() throws Exception {
        String chat = fx.group(alice, "Team", null, bob);
        StringBuilder cmd = new StringBuilder("set -o pipefail; ");
        for (String a : novyse(List.of("watch"))) cmd.append(quote(a)).append(' ');
        cmd.append("| head -n 3");
        Process p = isolate(new ProcessBuilder("bash", "-c", cmd.toString())).start();
        processes.add(p);
        p.getOutputStream().close();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread talk = talker(chat, running);
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "watch | head -n 3 ends by itself");
        } finally {
            running.set(false);
            talk.join(5_000);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "pipefail: watch itself exited 0; stderr: " + err);
        assertEquals("", err.strip());
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        long previous = 0;
        for (String line : lines) {
            JsonNode o = Json.mapper().readTree(line);
            assertEquals("message", o.path("type").asText(), line);
            assertEquals(chat, o.path("chat").asText());
            assertEquals(alice.uuid(), o.path("sender").asText());
            assertTrue(o.path("content").asText().startsWith("tick "), line);
            assertTrue(o.path("id").asLong() > previous, "in order: " + out);
            previous = o.path("id").asLong();
        }
    }

    @Test
    void ctrlCEndsAWatchWithExitZeroAndChatFiltersWhatIsPrinted() throws Exception {
        String team = fx.group(alice, "Team", "team", bob);
        String other = fx.group(alice, "Other", null, bob);
        // The store must know @team before --chat can name it: watch syncs once when it does not.
        // A real Ctrl-C reaches a watch whose SIGINT is at its default; Maven started in the background (`cmd &`,
        // nohup) hands its children an ignored SIGINT, which POSIX keeps across exec. env (it execs, so the pid
        // stays the watch's) resets it, as an interactive shell does for a foreground job.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.addAll(novyse(List.of("watch", "--chat", "@team", "--status")));
        Process p = isolate(new ProcessBuilder(cmd)).start();
        processes.add(p);
        p.getOutputStream().close();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        String line;
        do {
            line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "watch reports CONNECTED");
        } while (!line.contains("\"status\":\"CONNECTED\""));

        fx.send(alice, other, 0, "not for this watch");
        fx.send(alice, team, 0, "for the team");
        JsonNode message = null;
        while (message == null) {
            line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "the team message is printed");
            JsonNode o = Json.mapper().readTree(line);
            if (o.path("type").asText().equals("message")) message = o;
        }
        assertEquals(team, message.path("chat").asText());
        assertEquals("for the team", message.path("content").asText());
        assertEquals("live", message.path("source").asText());

        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Ctrl-C ends the watch");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err.strip());
        reader.join(5_000);
        for (String rest : lines) {
            JsonNode o = Json.mapper().readTree(rest);
            assertTrue(!o.path("type").asText().equals("message") || team.equals(o.path("chat").asText()), rest);
        }
    }

    /** After a kick (docs/protocol.md#moderation) {@code watch} prints nothing more of the chat, and keeps running. */
    @Test
    void aKickedMembersWatchPrintsNothingMoreFromTheChat() throws Exception {
        String team = fx.group(alice, "Team", null, bob);
        String other = fx.group(alice, "Other", null, bob);
        Process p = builder(List.of("watch", "--status")).start();
        processes.add(p);
        p.getOutputStream().close();
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(Json.mapper().readTree(l));
            } catch (IOException e) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        JsonNode line;
        do {
            line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "watch reports CONNECTED");
        } while (!"CONNECTED".equals(line.path("status").asText()));

        fx.send(alice, team, 0, "before");
        do {
            line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "the message before the kick is printed");
        } while (!"before".equals(line.path("content").asText()));
        fx.api.ok(fx.api.post("/chat/kick", alice.token(), Map.of("chatUUID", team, "userUUID", bob.uuid())));
        fx.send(alice, team, 0, "after the kick");
        fx.send(alice, other, 0, "still here");
        List<JsonNode> printed = new ArrayList<>();
        do {
            line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "the other chat's message is printed; so far: " + printed);
            printed.add(line);
        } while (!"still here".equals(line.path("content").asText()));
        Thread.sleep(300);
        lines.drainTo(printed);
        for (JsonNode o : printed) {
            assertTrue(!"message".equals(o.path("type").asText()) || !team.equals(o.path("chat").asText()),
                    "nothing of the chat after the kick: " + o);
        }
    }
}
