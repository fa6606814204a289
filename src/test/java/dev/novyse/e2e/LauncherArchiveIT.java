package dev.novyse.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's AppCDS archive follows the JVM as well as the jar: after a JDK change (here another {@code java} on
 * the PATH) a new archive is recorded and the old one dropped, instead of the old one being silently refused by the
 * new JVM on every start. Runs after {@code package} (failsafe), through the launcher, against the built jar.
 */
class LauncherArchiveIT {
    @TempDir
    Path dir;

    private void run(String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of("src/main/sh/novyse").toAbsolutePath().toString(), "--version")
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("PATH", path);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    private List<String> archives() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("cache/novyse"))) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    @Test
    void anotherJvmRecordsItsOwnArchiveInsteadOfMissingTheOldOne() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("target/novyse.jar")), "the jar is built before this test");
        String path = System.getenv("PATH");
        run(path);
        LauncherClassListIT.awaitArchive(dir.resolve("cache")); // dumped in the background after the first run
        run(path);
        List<String> first = archives();
        assertEquals(1, first.size(), "one archive recorded and then used: " + first);

        // "Another JDK": a java of its own on the PATH (a wrapper around the same one is enough to change the key).
        Path bin = Files.createDirectories(dir.resolve("otherjdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec '" + E2e.javaBinary() + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        run(bin + ":" + path);
        LauncherClassListIT.awaitArchive(dir.resolve("cache"));
        List<String> second = archives();
        assertEquals(1, second.size(), "the old archive dropped: " + second);
        assertNotEquals(first, second, "a new archive for the other JVM");
    }
}
