package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in over plain http:// to an independent Novyse-compatible server: node's http server with an {@code upgrade}
 * listener, as engine.io attaches one (src/test/js/upgrade-listening-server.js). Such a server drops a request that
 * asks to upgrade to h2c, which Java's HTTP client does on every http:// request unless told to speak HTTP/1.1.
 */
class PlainHttpInteropTest {
    private static final Path SCRIPT = Path.of("src", "test", "js", "upgrade-listening-server.js").toAbsolutePath();

    @TempDir
    Path dir;
    Process node;

    @AfterEach
    void stop() {
        if (node != null) node.destroyForcibly();
    }

    @Test
    void loginOverPlainHttpToANodeServerWithAnUpgradeListenerAndNoRequestAsksForH2c() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        node = new ProcessBuilder("node", SCRIPT.toString(), log.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String port = lines.readLine();
        assertNotNull(port, "the node server prints its port");

        E2e.Run r = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("data").toString(),
                "--server", "http://127.0.0.1:" + port, "login", "carol");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().startsWith("Signed in as carol"), r.err());

        List<JsonNode> requests = new ArrayList<>();
        for (String l : Files.readAllLines(log)) requests.add(Json.mapper().readTree(l));
        assertFalse(requests.isEmpty(), "the server saw the sign-in");
        for (JsonNode q : requests) {
            assertTrue(q.path("upgrade").isMissingNode(), "went to the upgrade listener: " + q);
            assertTrue(q.path("headers").path("upgrade").isMissingNode(), "asks to upgrade: " + q);
            assertFalse(q.path("headers").path("connection").asText().toLowerCase().contains("upgrade"), q.toString());
        }
        assertEquals("/signin/password", requests.get(0).path("url").asText());
    }
}
