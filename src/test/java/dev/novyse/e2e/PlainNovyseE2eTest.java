package dev.novyse.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain {@code novyse}, with no argument, opens the chat screen without going through picocli (TuiLauncher.openPlain):
 * its refusals still read as every command's do — one line, the documented exit code, nothing on stdout.
 */
class PlainNovyseE2eTest {
    @TempDir
    Path dir;

    @Test
    void withoutATerminalItSaysSoInOneLineAndExitsTwo() throws Exception {
        ProcessBuilder pb = E2e.novyseProcess();
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path errFile = dir.resolve("err.txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(errFile);
        CliStderr.record(new String[0], err);
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertTrue(err.startsWith("novyse: ") && err.contains("needs a terminal"), err);
        assertEquals("", out, "nothing on stdout");
    }

    @Test
    void inATerminalWithNobodySignedInItSaysHowToSignInAndExitsThree() throws Exception {
        try (Tmux tmux = new Tmux(dir, 100, 20, () -> "")) {
            tmux.type(Tmux.launcher(dir) + "; echo exit=$?");
            tmux.keys("Enter");
            String s = tmux.awaitScreen("the exit code", x -> x.contains("\nexit="));
            assertTrue(s.contains("exit=3"), s);
            assertTrue(s.contains("novyse: not signed in; run 'novyse signup' or 'novyse login' first"), s);
            assertTrue(!s.contains("Exception") && !s.contains("\tat "), s);
        }
    }
}
