package dev.novyse.e2e;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's files stay private under {@code umask 000}: the account data, the credentials, the native SQLite
 * library the process loads and the launcher's AppCDS archive (both in the cache). Runs after {@code package}
 * (failsafe), through the launcher a user installs, against the built jar.
 */
class UmaskPrivacyIT {
    @TempDir
    static Path dir;
    static NovyseServer server;
    /** This test's home: each test starts with no account, no cache and no archive. */
    Path home;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"));
    }

    @BeforeEach
    void newHome(TestInfo test) throws IOException {
        home = Files.createDirectories(dir.resolve(test.getTestMethod().orElseThrow().getName()));
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    /** Runs the launcher under umask 000 with every XDG folder below {@code home}. */
    private String run(String stdin, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("src/main/sh/novyse").toAbsolutePath();
        assertTrue(Files.isRegularFile(Path.of("target/novyse.jar")), "the jar is built before this test");
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$0\" \"$@\"", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NOVYSE_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "novyse " + String.join(" ", args) + " ends");
        assertEquals(0, p.exitValue(), "novyse " + String.join(" ", args) + ": " + out);
        return out;
    }

    @Test
    void nothingTheClientWritesIsOpenToOthersUnderUmask000() throws Exception {
        run(E2e.PASSWORD + "\n", "--server", server.url(), "signup", "umask");
        RawApi api = new RawApi(server.url());
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        String me = E2e.credentials(home.resolve(".local/share/novyse")).path("userUUID").asText();
        String chat = bob.createChat("GROUP", "Private", null, me);
        bob.send(chat, 0, "hello");
        run("", "sync", "--quiet");
        run("", "chats");            // a second start: maps the AppCDS archive the first one recorded
        run("", "send", "Private", "hi back");
        LauncherClassListIT.awaitArchive(home.resolve(".cache")); // the launcher dumps it in the background

        try (var s = Files.list(home.resolve(".cache/novyse"))) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().endsWith(".jsa")), "the launcher made its archive");
        }
        try (var s = Files.walk(home.resolve(".cache/novyse/native"))) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().endsWith(".so")), "the native library is cached");
        }
        assertEquals("", openToOthers(), "paths group/other could write");
    }

    @Test
    void aCachedLibraryOrArchiveLeftOpenToOthersIsReplacedNotLoaded() throws Exception {
        run(E2e.PASSWORD + "\n", "--server", server.url(), "signup", "opened");
        run("", "chats");
        LauncherClassListIT.awaitArchive(home.resolve(".cache"));
        Path cache = home.resolve(".cache/novyse");
        Path lib;
        try (var s = Files.walk(cache.resolve("native"))) {
            lib = s.filter(f -> f.getFileName().toString().endsWith(".so")).findFirst().orElseThrow();
        }
        // What an older version left under umask 000, and another local user then replaced.
        try (var s = Files.walk(cache)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
            }
        }
        Files.writeString(lib, "not a library");
        run("", "chats");
        LauncherClassListIT.awaitArchive(home.resolve(".cache")); // the dropped archive dumped again
        assertTrue(Files.size(lib) > 100_000, "the library was extracted again");
        assertEquals("", openToOthers(), "paths group/other could write");
    }

    private String openToOthers() throws IOException, InterruptedException {
        Process find = new ProcessBuilder("find", home.toString(), "-mindepth", "1", "-perm", "/022").start();
        String open = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, find.waitFor());
        return open;
    }
}
