package dev.novyse.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher picks the JVM's settings by the command, the first word after the root's options: the server gets the
 * JVM's own compilers and collector, a sync the larger heap, everything else C1 and the serial collector
 * with a small heap. Read back from the JVM itself ({@code -XX:+PrintCommandLineFlags}), through the launcher, against
 * the built jar (failsafe, after {@code package}).
 */
class LauncherFlagsIT {
    private static final String SMALL_HEAP = "-XX:InitialHeapSize=16777216";
    private static final String SYNC_HEAP = "-XX:InitialHeapSize=201326592";

    @TempDir
    Path dir;

    /** The flags the JVM started with for {@code novyse args...} (each line ends in --help: nothing else runs). */
    private String flags(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of("src/main/sh/novyse").toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("NOVYSE_CDS", "0");
        env.put("NOVYSE_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // the JVM's line (a warning of its own could come before it)
        return out.lines().filter(l -> l.contains("-XX:InitialHeapSize=")).findFirst()
                .orElseThrow(() -> new AssertionError("no flags line in: " + out));
    }

    @Test
    void theServerGetsTheJvmsOwnCompilersAndCollector() throws Exception {
        String f = flags("serve", "--help");
        assertFalse(f.contains("TieredStopAtLevel"), f);
        // (no collector asserted: the JVM's own choice is the serial one on a machine of one core)
        assertTrue(f.contains(SMALL_HEAP), f);
    }

    @Test
    void oneShotCommandsStartWithC1TheSerialCollectorAndASmallHeap() throws Exception {
        String f = flags("chats", "--help");
        assertTrue(f.contains("-XX:TieredStopAtLevel=1"), f);
        assertTrue(f.contains("-XX:+UseSerialGC"), f);
        assertTrue(f.contains(SMALL_HEAP), f);
    }

    @Test
    void aSyncGetsTheLargerHeapAfterTheRootsOptions() throws Exception {
        // the root's options and their values come first: the command is the word after them
        String f = flags("--server", "http://127.0.0.1:9", "--data-dir", dir.resolve("data").toString(), "sync", "--help");
        assertTrue(f.contains(SYNC_HEAP), f);
        assertTrue(f.contains("-XX:+UseSerialGC"), f);
    }
}
