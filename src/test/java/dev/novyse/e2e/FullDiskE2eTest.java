package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a full disk the store can still be read: {@code chats} and {@code export} work offline although SQLite has no
 * room for its shared-memory file. The disk is a 1 MiB tmpfs, filled up, in a mount namespace of the test's own
 * ({@code unshare}), so the test needs no privileges beyond what unprivileged user namespaces give.
 */
class FullDiskE2eTest {
    @TempDir
    Path dir;

    @Test
    void chatsAndExportReadAFullDisk() throws Exception {
        Path data = dir.resolve("cli");
        try (NovyseServer server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15))) {
            E2e.cliSignup(data, server.url(), "reader");
            E2e.As bob = new E2e.As(new RawApi(server.url()), new RawApi(server.url()).signup("bob"));
            String chat = bob.createChat("GROUP", "Full", "full", E2e.credentials(data).path("userUUID").asText());
            bob.send(chat, 0, "readable on a full disk");
            assertEquals(0, E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet").code());
        }
        Path mount = Files.createDirectories(dir.resolve("disk"));
        StringBuilder script = new StringBuilder("set -e; mount -t tmpfs -o size=1m tmpfs \"$1\"; cp -a \"$2\" \"$1/cli\";"
                + " dd if=/dev/zero of=\"$1/fill\" bs=4k 2>/dev/null || true; df -k \"$1\" | tail -n 1 > \"$3/df\";"
                + " set +e;");
        for (String command : List.of("chats --format jsonl", "export")) {
            String name = command.split(" ")[0];
            List<String> args = new ArrayList<>(List.of("--data-dir", mount.resolve("cli").toString()));
            args.addAll(List.of(command.split(" ")));
            for (String a : E2e.novyseProcess(args.toArray(String[]::new)).command()) {
                script.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            script.append(" > \"$3/").append(name).append(".out\" 2> \"$3/").append(name).append(".err\"; echo $? > \"$3/")
                    .append(name).append(".code\";");
        }
        Process p = new ProcessBuilder("unshare", "--mount", "--map-root-user", "sh", "-c", script.toString(), "sh",
                mount.toString(), data.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "a full 1 MiB disk in a mount namespace of its own: " + out);
        assertTrue(Files.readString(dir.resolve("df")).trim().split("\\s+")[3].equals("0"), "the disk is full: "
                + Files.readString(dir.resolve("df")));

        for (String name : List.of("chats", "export")) {
            String err = Files.readString(dir.resolve(name + ".err"));
            CliStderr.record(new String[]{name}, err);
            assertEquals("0", Files.readString(dir.resolve(name + ".code")).trim(), name + ": " + err);
            assertEquals("", err, name);
        }
        JsonNode chatLine = Json.mapper().readTree(Files.readString(dir.resolve("chats.out")).lines().findFirst().orElseThrow());
        assertEquals("Full", chatLine.path("title").asText());
        assertTrue(Files.readString(dir.resolve("export.out")).contains("readable on a full disk"));
    }
}
