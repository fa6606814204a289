package dev.novyse.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The first minute of {@code novyse demo}: the time from spawning {@code java -jar target/novyse.jar demo} in a real
 * tmux pane of 120×35 to the first full screen (the chat list, the open chat's messages and the status bar), read
 * back with {@code capture-pane} every 20 ms, over several runs. The floor is measured the same way in the same run:
 * {@code java -jar target/novyse.jar --version} spawned in tmux until its line shows. Needs tmux and
 * {@code target/novyse.jar} (mvn package).
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && mvn -B -q exec:exec@bench -Dbench.class=dev.novyse.bench.DemoBenchmark}
 * ({@code -Dbench.runs=N}, default 5).
 */
public final class DemoBenchmark {
    private static final int COLUMNS = 120;
    private static final int ROWS = 35;
    /** A message row of the open chat: "13:45      Zoë Novak │ text". */
    private static final Pattern MESSAGE_ROW = Pattern.compile("\\d\\d:\\d\\d +\\S.* │ \\S");

    private DemoBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 5);
        CoreBenchmark.launcher(); // fails when the jar is missing or older than the classes
        Path jar = Path.of("target/novyse.jar").toAbsolutePath();
        Path work = Files.createTempDirectory("novyse-demo-bench");
        String socket = "novyse-demo-bench-" + ProcessHandle.current().pid();
        String java = CoreBenchmark.java();
        List<Double> floor = new ArrayList<>();
        List<Double> demo = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                floor.add(timeToScreen(socket, work, java + " -jar " + jar + " --version",
                        s -> s.contains("novyse ")));
                demo.add(timeToScreen(socket, work, java + " -jar " + jar + " demo", DemoBenchmark::fullScreen));
            }
        } finally {
            tmux(socket, "kill-server");
        }
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ", load average " + loadAverage() + "; " + runs + " runs");
        report("java -jar novyse.jar --version (floor)", floor);
        report("novyse demo, first full screen", demo);
        System.out.printf(Locale.ROOT, "demo / floor (medians): %.1fx%n", CoreBenchmark.median(demo) / CoreBenchmark.median(floor));
    }

    /** The chat list with its chats, the open chat's messages, and the status bar on the last row. */
    static boolean fullScreen(String screen) {
        List<String> lines = screen.lines().toList();
        if (lines.size() < ROWS - 1) return false;
        String last = lines.get(lines.size() - 1);
        long messages = lines.stream().filter(l -> MESSAGE_ROW.matcher(l).find()).count();
        return lines.get(0).contains("Chats") && lines.get(0).contains("Platform team")
                && screen.contains("日本語 practice") && screen.contains("Release notes")
                && messages >= 3 && last.contains("you@") && last.contains("F1");
    }

    /**
     * Spawns {@code command} in a fresh tmux pane and polls it until {@code done} holds; returns the seconds from the
     * spawn. The pane is then quit (C-q, which the demo's client takes as quit; a finished command's pane is gone
     * with it) and the server killed, so every run starts from nothing.
     */
    static double timeToScreen(String socket, Path work, String command, Predicate<String> done) throws Exception {
        tmux(socket, "kill-server");
        long t0 = System.nanoTime();
        tmux(socket, "new-session", "-d", "-x", Integer.toString(COLUMNS), "-y", Integer.toString(ROWS), "-s", "bench",
                "-c", work.toString(), command + "; sleep 60");
        long deadline = t0 + 120_000_000_000L;
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture(socket);
            if (done.test(screen)) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                tmux(socket, "send-keys", "-t", "bench", "C-q");
                long quit = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < quit && capture(socket).contains("F1 help")) {
                    Thread.sleep(50);
                }
                Thread.sleep(500); // the demo removes its directories after the screen is gone
                tmux(socket, "kill-server");
                return seconds;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no full screen within 120 s; the last one:\n" + screen);
    }

    private static String capture(String socket) throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-t", "bench")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.stripTrailing();
    }

    private static void tmux(String socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static void report(String what, List<Double> seconds) {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-40s median %5.2f s  min %5.2f s  max %5.2f s%n", what + ":", CoreBenchmark.median(seconds),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
