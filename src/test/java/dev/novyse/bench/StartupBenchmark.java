package dev.novyse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up cost of a one-shot command: {@code novyse chats} through the launcher (with and without its AppCDS
 * archive) against {@code java -version}, median of several runs. Needs {@code target/novyse.jar} (mvn package).
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && mvn -B -q exec:exec@bench -Dbench.class=dev.novyse.bench.StartupBenchmark}
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 15);
        Path launcher = CoreBenchmark.launcher();
        Path work = Files.createTempDirectory("novyse-startup");
        // A signed-in account with one synced chat, from an in-process server.
        try (var server = new dev.novyse.server.NovyseServer(new dev.novyse.server.ServerConfig("127.0.0.1", 0,
                work.resolve("server"), java.time.Duration.ofHours(1), 1_000, java.time.Clock.systemUTC())).start()) {
            CoreBenchmark.signup(server.url(), work.resolve("data"), "startup");
            String data = work.resolve("data").toString();
            Map<String, String> cds = Map.of("XDG_CACHE_HOME", work.resolve("cache").toString());
            Map<String, String> noCds = Map.of("XDG_CACHE_HOME", work.resolve("cache").toString(), "NOVYSE_CDS", "0");
            run(List.of(launcher.toString(), "--data-dir", data, "sync", "--quiet"), cds); // records the archive
            double javaVersion = median(runs, List.of(CoreBenchmark.java(), "-version"), Map.of());
            double help = median(runs, List.of(launcher.toString(), "--help"), cds);
            double chats = median(runs, List.of(launcher.toString(), "--data-dir", data, "chats"), cds);
            double chatsNoCds = median(runs, List.of(launcher.toString(), "--data-dir", data, "chats"), noCds);
            double sync = median(runs, List.of(launcher.toString(), "--data-dir", data, "sync", "--quiet"), cds);
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                    + System.getProperty("java.version") + "; median of " + runs + " runs");
            System.out.printf(Locale.ROOT, "java -version:                 %6.0f ms%n", javaVersion);
            System.out.printf(Locale.ROOT, "novyse --help (AppCDS):        %6.0f ms  (%.1fx java -version)%n", help, help / javaVersion);
            System.out.printf(Locale.ROOT, "novyse chats (AppCDS):         %6.0f ms  (%.1fx java -version)%n", chats, chats / javaVersion);
            System.out.printf(Locale.ROOT, "novyse chats (no archive):     %6.0f ms  (%.1fx java -version)%n", chatsNoCds, chatsNoCds / javaVersion);
            System.out.printf(Locale.ROOT, "novyse sync, up to date:       %6.0f ms  (%.1fx java -version)%n", sync, sync / javaVersion);
        }
    }

    static double median(int runs, List<String> command, Map<String, String> env) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(command, env);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    static void run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(command + " exited " + rc);
        }
    }
}
