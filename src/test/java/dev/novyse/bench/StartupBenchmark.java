package dev.novyse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up cost of one-shot commands through the launcher: {@code novyse --version}, {@code novyse chats} and an
 * up-to-date {@code novyse sync}, median of several runs, each after a fresh install (an empty cache) whose first
 * command was {@code signup} and then again one whose first command was {@code chats}: the launcher's AppCDS archive
 * must serve every command whatever ran first (issue 14). Also {@code chats} without the archive and
 * {@code java -version}. Needs {@code target/novyse.jar} (mvn package).
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && mvn -B -q exec:exec@bench -Dbench.class=dev.novyse.bench.StartupBenchmark};
 * {@code -Dbench.launcher=PATH} measures another launcher (an older one beside a link to the jar) against the same jar.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 15);
        Path launcher = CoreBenchmark.launcher();
        String other = System.getProperty("bench.launcher", "");
        String novyse = other.isBlank() ? launcher.toString() : other;
        Path work = Files.createTempDirectory("novyse-startup");
        try (var server = new dev.novyse.server.NovyseServer(new dev.novyse.server.ServerConfig("127.0.0.1", 0,
                work.resolve("server"), java.time.Duration.ofHours(1), 1_000, java.time.Clock.systemUTC())).start()) {
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                    + System.getProperty("java.version") + "; median of " + runs + " runs; launcher " + novyse);
            double javaVersion = median(runs, List.of(CoreBenchmark.java(), "-version"), Map.of());
            System.out.printf(Locale.ROOT, "java -version:                        %6.0f ms%n", javaVersion);
            for (String first : List.of("signup", "chats")) {
                // A fresh install: its own cache (no archive yet) and account.
                Path cache = work.resolve("cache-" + first);
                String data = work.resolve("data-" + first).toString();
                Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
                if (first.equals("signup")) {
                    run(List.of(novyse, "--data-dir", data, "--server", server.url(), "signup", first + "first"),
                            env, "bench-password\n");
                    seed(server.url(), first + "first");
                } else {
                    CoreBenchmark.signup(server.url(), Path.of(data), first + "first");
                    seed(server.url(), first + "first");
                    run(List.of(novyse, "--data-dir", data, "chats"), env, "");
                }
                awaitArchive(cache.resolve("novyse"));
                run(List.of(novyse, "--data-dir", data, "sync", "--quiet"), env, "");
                double version = median(runs, List.of(novyse, "--version"), env);
                double chats = median(runs, List.of(novyse, "--data-dir", data, "chats"), env);
                double sync = median(runs, List.of(novyse, "--data-dir", data, "sync", "--quiet"), env);
                String after = "(" + first + " first)";
                System.out.printf(Locale.ROOT, "novyse --version %-16s     %6.0f ms%n", after, version);
                System.out.printf(Locale.ROOT, "novyse chats %-16s         %6.0f ms  (%.2fx --version)%n", after, chats, chats / version);
                System.out.printf(Locale.ROOT, "novyse sync, up to date %-16s %4.0f ms  (%.2fx --version)%n", after, sync, sync / version);
                if (first.equals("chats")) {
                    double noCds = median(runs, List.of(novyse, "--data-dir", data, "chats"),
                            Map.of("XDG_CACHE_HOME", cache.toString(), "NOVYSE_CDS", "0"));
                    System.out.printf(Locale.ROOT, "novyse chats (no archive, NOVYSE_CDS=0) %6.0f ms  (%.2fx --version)%n",
                            noCds, noCds / version);
                }
            }
        }
    }

    /**
     * What an account holds on an ordinary day rather than nothing: a group and a DM from someone else, 20 and 5
     * messages, so that {@code chats} reads its chats, roles and last messages as a person's does (until the fifteenth
     * session the benchmark's account had no chat at all).
     */
    static void seed(String url, String username) {
        dev.novyse.server.RawApi api = new dev.novyse.server.RawApi(url);
        String uuid = api.post("/signin/password", null, Map.of("username", username, "password", "bench-password"))
                .body().path("userUUID").asText();
        dev.novyse.server.RawApi.Account peer = api.signup("peer_of_" + username);
        String team = api.ok(api.post("/chat/create", peer.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(uuid)))).path("chat").path("uuid").asText();
        String dm = api.ok(api.post("/chat/create", peer.token(), Map.of("type", "DM",
                "memberUUIDs", List.of(uuid)))).path("chat").path("uuid").asText();
        for (int i = 1; i <= 25; i++) {
            api.ok(api.post("/message", peer.token(), Map.of("chatUUID", i <= 20 ? team : dm, "subID", 0,
                    "content", "message " + i)));
        }
    }

    /** The launcher records its archive on (or, in the background, after) the first run: waits until it is there. */
    static void awaitArchive(Path folder) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(folder)) {
                List<String> names = s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("novyse-")).toList();
                if (!names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".jsa"))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no archive in " + folder);
    }

    static double median(int runs, List<String> command, Map<String, String> env) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(command, env, "");
            times.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    static void run(List<String> command, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(command + " exited " + rc);
        }
    }
}
