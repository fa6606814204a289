package dev.novyse.e2e;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's AppCDS archive is dumped from the class list the build's training run put into the jar, so it
 * serves every command, not only the kind that ran first after an install (issue 14): after {@code --version}, a
 * {@code sync} maps the store's and the HTTP client's classes from it. A rebuilt jar gets a new archive. Runs after
 * {@code package} (failsafe), through the launcher, against the built jar. No timing is asserted.
 */
class LauncherClassListIT {
    @TempDir
    Path dir;

    /** Runs {@code launcher args} with its cache in {@code dir/cache}; returns stdout and stderr. */
    static String run(Path launcher, Path cache, String stdin, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("XDG_CACHE_HOME", cache.toString());
        env.putAll(extraEnv);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "novyse " + String.join(" ", args) + " ends");
        assertEquals(0, p.exitValue(), "novyse " + String.join(" ", args) + ": " + out);
        return out;
    }

    /**
     * Waits for the archive the launcher dumps in the background after a first run, and for the dump to be gone
     * (nothing of it left writing in {@code cache}); returns the archives' names.
     */
    static List<String> awaitArchive(Path cache) throws IOException, InterruptedException {
        Path folder = cache.resolve("novyse");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Stream<Path> s = Files.list(folder)) {
                List<String> names = s.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith("novyse-")).sorted().toList();
                if (!names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".jsa"))) {
                    return names;
                }
                assertTrue(System.nanoTime() < deadline, "the launcher's archive dump ends: " + names);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aCommandOfAnotherKindMapsTheClassesItLoadsFromTheArchive() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("target/novyse.jar")), "the jar is built before this test");
        Path launcher = Path.of("src/main/sh/novyse").toAbsolutePath();
        Path cache = dir.resolve("cache");
        run(launcher, cache, "", Map.of(), "--version"); // the first command after the install: no store, no HTTP
        assertEquals(1, awaitArchive(cache).size());

        try (NovyseServer server = TestServer.start(dir.resolve("server"))) {
            String data = dir.resolve("data").toString();
            run(launcher, cache, E2e.PASSWORD + "\n", Map.of(), "--data-dir", data, "--server", server.url(),
                    "signup", "trained");
            String out = run(launcher, cache, "", Map.of("NOVYSE_JAVA_OPTS", "-Xlog:class+load=info"),
                    "--data-dir", data, "sync");
            // Classes --version never loads: the SQLite driver, the store, the HTTP client.
            for (String cls : List.of("org.sqlite.JDBC", "dev.novyse.store.LocalDatabase", "java.net.HttpURLConnection")) {
                assertTrue(out.lines().anyMatch(l -> l.contains(" " + cls + " source: shared objects file")),
                        cls + " comes from the archive:\n" + out.lines().filter(l -> l.contains(cls)).toList());
            }
            // And none from the jar: the dump leaves out a class it cannot archive (one of an old class file version
            // that a lambda linked, picocli's handler interfaces, and every class implementing them) without a word.
            List<String> fromJar = out.lines().filter(l -> l.contains(" source: file:")).toList();
            assertTrue(fromJar.isEmpty(), "classes read from the jar, not the archive: " + fromJar);
        }
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldOneGoes() throws Exception {
        // An install of its own: the launcher and a copy of the jar beside it.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path launcher = Files.copy(Path.of("src/main/sh/novyse"), bin.resolve("novyse"));
        Path jar = Files.copy(Path.of("target/novyse.jar"), bin.resolve("novyse.jar"));
        Path cache = dir.resolve("cache");
        run(launcher, cache, "", Map.of(), "--version");
        List<String> first = awaitArchive(cache);
        assertEquals(1, first.size());
        run(launcher, cache, "", Map.of("NOVYSE_JAVA_OPTS", "-Xshare:on"), "--version"); // on: fails unless mapped

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        run(launcher, cache, "", Map.of(), "--version");
        List<String> second = awaitArchive(cache);
        assertEquals(1, second.size(), "the old archive dropped: " + second);
        assertNotEquals(first, second, "a new archive for the rebuilt jar");
        run(launcher, cache, "", Map.of("NOVYSE_JAVA_OPTS", "-Xshare:on"), "--version");
    }
}
