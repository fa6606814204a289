package dev.novyse.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real terminal for the end-to-end tests: a tmux server of its own (installed by src/test/sh/provision) with one
 * window running a plain interactive bash, driven by the bytes a terminal sends ({@link #bytes}, {@link #paste}) or
 * by tmux key names, and read back with capture-pane, the way a person on SSH sees it.
 */
final class Tmux implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final String socket = "novyse-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** What to add to a failure message (the TUI's log). */
    private final Supplier<String> diagnostics;

    /** Starts bash in a {@code cols x rows} window with every XDG folder below {@code dir}. */
    Tmux(Path dir, int cols, int rows, Supplier<String> diagnostics) throws Exception {
        this.dir = dir;
        this.diagnostics = diagnostics;
        // TZ: the screen's clock is UTC whatever the machine's zone (a test that wants another sets it per command).
        List<String> env = List.of("env", "-i", "HOME=" + dir, "PATH=" + System.getenv("PATH"), "TERM=screen-256color",
                "LANG=C.UTF-8", "TZ=UTC", "XDG_DATA_HOME=" + dir.resolve("xdg-data"), "XDG_CONFIG_HOME=" + dir.resolve("xdg-config"),
                "XDG_CACHE_HOME=" + dir.resolve("xdg-cache"), "PS1=ready$ ",
                // no history file: bash writes one as tmux is killed, racing the deletion of the test's folder
                "HISTFILE=", "bash", "--norc", "--noprofile");
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                "-s", "t", "-x", String.valueOf(cols), "-y", String.valueOf(rows), "-c", dir.toString()));
        cmd.add(String.join(" ", env.stream().map(Tmux::quote).toList()));
        assertEquals(0, run(cmd.toArray(String[]::new)), "tmux starts");
        awaitScreen("the shell prompt", s -> s.contains("ready$"));
    }

    /** A script that starts novyse from the test class path; {@code args} go before the user's arguments. */
    static Path launcher(Path dir, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("#!/bin/sh\nexec '" + E2e.javaBinary() + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                + " -Djava.io.tmpdir='" + Files.createDirectories(dir.resolve("tmp")) + "' -cp '" + E2e.classPath()
                + "' dev.novyse.cli.Main");
        for (String a : args) sb.append(" '").append(a).append("'");
        sb.append(" \"$@\"\n");
        Path p = dir.resolve("novyse");
        Files.writeString(p, sb.toString());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Keys by tmux name (Enter, Up, C-f, …). */
    void keys(String... names) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "t"));
        cmd.addAll(List.of(names));
        assertEquals(0, run(cmd.toArray(String[]::new)));
    }

    /** Literal text, typed (its UTF-8 bytes). */
    void type(String text) throws Exception {
        assertEquals(0, run("tmux", "-L", socket, "send-keys", "-t", "t", "-l", text));
    }

    /** Exactly these bytes, as a terminal sends them (send-keys -H): ESC CR for M-Enter, 0x7f for Backspace, … */
    void bytes(byte... raw) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "t", "-H"));
        for (byte b : raw) cmd.add(HexFormat.of().toHexDigits(b));
        assertEquals(0, run(cmd.toArray(String[]::new)));
    }

    /** The UTF-8 bytes of {@code text} through {@link #bytes}: how a terminal sends a typed emoji or CJK. */
    void bytes(String text) throws Exception {
        bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Pastes {@code text} as a terminal does: tmux wraps it in bracketed-paste markers when the program asked for
     * them (paste-buffer -p), and sends its newlines as CR.
     */
    void paste(String text) throws Exception {
        Path f = Files.createTempFile(dir, "paste", ".txt");
        Files.writeString(f, text);
        assertEquals(0, run("tmux", "-L", socket, "load-buffer", "-b", "p", f.toString()));
        assertEquals(0, run("tmux", "-L", socket, "paste-buffer", "-p", "-r", "-d", "-b", "p", "-t", "t"));
    }

    String screen() throws Exception {
        return capture(false);
    }

    /** The screen with its colours and attributes as SGR escapes ({@code capture-pane -e}). */
    String styledScreen() throws Exception {
        return capture(true);
    }

    private String capture(boolean styled) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "capture-pane", "-p", "-J", "-t", "t"));
        if (styled) cmd.add("-e");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    String awaitScreen(String what, Predicate<String> test) throws Exception {
        return await(what, test, false);
    }

    /** As {@link #awaitScreen}, on {@link #styledScreen}. */
    String awaitStyled(String what, Predicate<String> test) throws Exception {
        return await(what, test, true);
    }

    private String await(String what, Predicate<String> test, boolean styled) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String s = "";
        while (System.nanoTime() < deadline) {
            s = capture(styled);
            if (test.test(s)) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed " + what + ":\n" + s + "\n--- " + diagnostics.get());
    }

    String awaitText(String text) throws Exception {
        return awaitScreen("'" + text + "'", s -> s.contains(text));
    }

    /** Runs a shell command in the pane and returns what it printed between two markers. */
    String inShell(String command) throws Exception {
        String mark = "m" + UUID.randomUUID().toString().substring(0, 6);
        // Quoted so that the typed line itself never contains the markers the output is cut by.
        type("echo " + mark + "-be''gin; " + command + "; echo " + mark + "-e''nd");
        keys("Enter");
        // The marker on a line of its own: the echoed command line ends in "echo <mark>-end" too, before any output.
        String s = awaitScreen("the output of " + command,
                x -> x.contains("\n" + mark + "-end\n") || x.endsWith("\n" + mark + "-end"));
        String[] parts = s.split(mark + "-begin\n");
        String tail = parts[parts.length - 1];
        return tail.substring(0, tail.indexOf(mark + "-end")).strip();
    }

    /**
     * SIGKILL to what runs in the window under its shell (the program started there), as a crash or an OOM kill
     * would end it, and waits until it is gone. The shell stays, with the terminal as the program left it.
     */
    void killProgram() throws Exception {
        Process panes = new ProcessBuilder("tmux", "-L", socket, "list-panes", "-t", "t", "-F", "#{pane_pid}")
                .redirectErrorStream(true).start();
        String pid = new String(panes.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        panes.waitFor(10, TimeUnit.SECONDS);
        ProcessHandle shell = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        List<ProcessHandle> program = shell.descendants().toList();
        assertTrue(!program.isEmpty(), "a program runs in the window");
        for (ProcessHandle p : program) p.destroyForcibly();
        for (ProcessHandle p : program) p.onExit().get(20, TimeUnit.SECONDS);
    }

    /** Sets a tmux option for the whole server ({@code set-clipboard on}: OSC 52 from a program fills a buffer). */
    void set(String option, String value) throws Exception {
        assertEquals(0, run("tmux", "-L", socket, "set-option", "-g", option, value), "tmux set-option " + option);
    }

    /** The newest paste buffer (what OSC 52 copied, under {@code set-clipboard on}), exactly; empty when none. */
    String buffer() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "show-buffer").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : "";
    }

    /** From now on every byte the program in the window writes is appended to {@code file} (tmux pipe-pane). */
    void record(Path file) throws Exception {
        assertEquals(0, run("tmux", "-L", socket, "pipe-pane", "-o", "-t", "t", "cat >> " + quote(file.toString())));
    }

    void resize(int cols, int rows) throws Exception {
        assertEquals(0, run("tmux", "-L", socket, "resize-window", "-t", "t", "-x", String.valueOf(cols), "-y",
                String.valueOf(rows)));
    }

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    /**
     * Ends tmux and waits until every process that ran in its window (the shell, novyse, a stopped job) is gone:
     * killing the server only signals them, and a JVM still writing its log or store would race the test's
     * temporary folder being deleted.
     */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> inWindow = new ArrayList<>();
        Process panes = new ProcessBuilder("tmux", "-L", socket, "list-panes", "-a", "-F", "#{pane_pid}")
                .redirectErrorStream(true).start();
        String pids = new String(panes.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        panes.waitFor(10, TimeUnit.SECONDS);
        for (String pid : pids.strip().split("\\s+")) {
            if (!pid.matches("\\d+")) continue;
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(shell -> {
                inWindow.add(shell);
                shell.descendants().forEach(inWindow::add);
            });
        }
        run("tmux", "-L", socket, "kill-server");
        for (ProcessHandle p : inWindow) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stuck) {
                p.destroyForcibly(); // a stopped job ignores the hang-up until it is continued
                p.onExit().get(20, TimeUnit.SECONDS);
            }
        }
    }
}
