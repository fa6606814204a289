package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's contract with scripts: exit codes (2 usage, 3 auth, 4 network, 7 queued, 0 otherwise), one-line stderr,
 * stdout of {@code export} carrying data only (JSON Lines or RFC 4180 CSV that round-trips), {@code --since}.
 * Exports run in a child JVM: the export command writes to the process's stdout descriptor itself.
 */
class CliContractE2eTest {
    @TempDir
    static Path dir;
    static MutableClock clock = new MutableClock();
    static NovyseServer server;
    static RawApi api;
    static Path data;
    static String chat;
    static String dm;
    static Instant since;
    /** Contents in server order: tricky text for CSV and JSON. */
    static final List<String> CONTENTS = List.of("plain", "comma, inside", "\"quoted\" words", "line one\nline two",
            "crlf\r\nend", "emoji 🎉🔥👍🏽", "trailing comma,", "  spaces  ", "tab\tand ; semicolon", "last one");

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"), clock, Duration.ofMinutes(15));
        api = new RawApi(server.url());
        data = dir.resolve("cli");
        E2e.cliSignup(data, server.url(), "scripter");
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        try {
            String me = E2e.credentials(data).path("userUUID").asText();
            chat = bob.createChat("GROUP", "Scripts, \"Inc\"", "scripts", me);
            dm = bob.createChat("DM", null, null, me);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Whole seconds, so that a --since at a message's exact time is a real boundary test.
        Instant now = clock.instant();
        clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));
        for (int i = 0; i < CONTENTS.size(); i++) {
            if (i == 6) since = clock.instant();
            bob.send(chat, 0, CONTENTS.get(i));
            clock.advance(i == 6 ? Duration.ofMillis(500) : Duration.ofSeconds(30));
        }
        bob.ok("PUT", "/message/reaction", E2e.As.msg(chat, 0, 2, "reaction", "👍"));
        E2e.Run r = E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet");
        assertEquals(0, r.code(), r.toString());
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static E2e.Run cli(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
        all.addAll(List.of(args));
        return E2e.cli(stdin, all.toArray(String[]::new));
    }

    static void assertOneLineFailure(E2e.Run r, int code, String what) {
        assertEquals(code, r.code(), what + ": " + r);
        assertEquals(1, r.errLines().size(), what + ": stderr must be one line: " + r.err());
        assertEquals("", r.out(), what + ": stdout must be empty");
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(2, cli("", "--no-such-option", "sync").code());
        assertEquals(2, cli("", "sync", "--bogus").code());
        assertOneLineFailure(cli("", "send", "no-such-chat", "hello"), 2, "send to an unknown chat");
        assertOneLineFailure(cli("", "export", "--chat", "no-such-chat"), 2, "export of an unknown chat");
        assertOneLineFailure(cli("", "export", "--since", "last tuesday"), 2, "a bad --since");
        assertOneLineFailure(cli("", "--server", "ftp://example.org", "login", "x"), 2, "a server URL without http");
    }

    @Test
    void authErrorsExit3() {
        Path empty = dir.resolve("nobody");
        E2e.Run r = E2e.cli("", "--data-dir", empty.toString(), "--server", server.url(), "sync");
        assertOneLineFailure(r, 3, "sync without an account");
        r = E2e.cli("wrong password\n", "--data-dir", empty.toString(), "--server", server.url(), "login", "scripter");
        assertOneLineFailure(r, 3, "login with a wrong password");
        assertFalse(Files.exists(empty.resolve("accounts")) && empty.resolve("accounts").toFile().list().length > 0,
                "a failed login left credentials behind");
        r = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", empty.toString(), "--server", server.url(), "login", "scripter");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void unreachableServerExits4AndSendQueuesWith7() throws Exception {
        String dead = "http://127.0.0.1:" + E2e.deadPort();
        assertOneLineFailure(E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("x").toString(), "--server", dead,
                "signup", "someone"), 4, "signup against a dead server");
        Path copy = dir.resolve("offline");
        copyTree(data, copy);
        E2e.pointCredentialsAt(copy, dead);
        assertOneLineFailure(E2e.cli("", "--data-dir", copy.toString(), "sync"), 4, "sync against a dead server");
        E2e.Run send = E2e.cli("", "--data-dir", copy.toString(), "send", "@scripts", "written offline");
        assertEquals(7, send.code(), send.toString());
        assertEquals(1, send.errLines().size(), send.err());
        Path db = E2e.accountDir(copy).resolve("store.db");
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM pending_message WHERE state = 'PENDING'"));
        E2e.pointCredentialsAt(copy, server.url());
        E2e.Run sync = E2e.cli("", "--data-dir", copy.toString(), "sync");
        assertEquals(0, sync.code(), sync.toString());
        assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM pending_message"));
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM message WHERE content = 'written offline'"));
        String token = E2e.credentials(copy).path("token").asText();
        long onServer = 0;
        for (JsonNode m : Projection.initializeJson(server.url(), token).path("messages")) {
            if ("written offline".equals(m.path("content").asText(null))) onServer++;
        }
        assertEquals(1, onServer);
    }

    @Test
    void sendDeliveredExits0() {
        E2e.Run r = cli("", "send", dm, "delivered now");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static List<JsonNode> jsonLines(byte[] out) throws Exception {
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            JsonNode n = Json.mapper().readTree(line);
            assertTrue(n != null && n.isObject(), "not a JSON object line: " + line);
            rows.add(n);
        }
        assertTrue(text.isEmpty() || text.endsWith("\n"), "the last line must end with a newline");
        return rows;
    }

    @Test
    void exportJsonLinesCarriesOnlyDataAndSinceFilters() throws Exception {
        E2e.Proc all = E2e.process(60, "--data-dir", data.toString(), "export");
        assertEquals(0, all.code(), all.err());
        assertEquals("", all.err(), "export printed on stderr");
        List<JsonNode> rows = jsonLines(all.out()).stream().filter(r -> r.path("chat").asText().equals(chat)).toList();
        List<String> exported = rows.stream().map(r -> r.path("content").asText()).toList();
        assertEquals(CONTENTS, exported);
        assertEquals("Scripts, \"Inc\"", rows.get(0).path("chatName").asText());
        assertEquals("👍", rows.get(1).path("reactions").path(0).path("reaction").asText());

        E2e.Proc filtered = E2e.process(60, "--data-dir", data.toString(), "export", "--since", since.toString());
        assertEquals(0, filtered.code(), filtered.err());
        List<String> after = jsonLines(filtered.out()).stream().filter(r -> r.path("chat").asText().equals(chat))
                .map(r -> r.path("content").asText()).toList();
        assertEquals(CONTENTS.subList(6, CONTENTS.size()), after,
                "--since " + since + " must keep exactly the messages created at or after it");
        E2e.Proc late = E2e.process(60, "--data-dir", data.toString(), "export", "--since", since.plusMillis(250).toString());
        assertEquals(CONTENTS.subList(7, CONTENTS.size()),
                jsonLines(late.out()).stream().filter(r -> r.path("chat").asText().equals(chat))
                        .map(r -> r.path("content").asText()).toList(),
                "--since with a fraction of a second");
        // A date alone is its midnight UTC.
        String first = rows.get(0).path("createdAt").asText().substring(0, 10);
        String last = rows.get(rows.size() - 1).path("createdAt").asText().substring(0, 10);
        E2e.Proc byDay = E2e.process(60, "--data-dir", data.toString(), "export", "--since", first);
        assertEquals(CONTENTS, jsonLines(byDay.out()).stream().filter(r -> r.path("chat").asText().equals(chat))
                .map(r -> r.path("content").asText()).toList(), "--since " + first + ": " + byDay.err());
        E2e.Proc nextDay = E2e.process(60, "--data-dir", data.toString(), "export", "--since",
                java.time.LocalDate.parse(last).plusDays(1).toString());
        assertEquals(0, nextDay.code(), nextDay.err());
        assertTrue(jsonLines(nextDay.out()).stream().noneMatch(r -> r.path("chat").asText().equals(chat)), nextDay.err());
        // Nothing to export is nothing on stdout, not an empty line (which no JSON parser takes for a record).
        E2e.Proc none = E2e.process(60, "--data-dir", data.toString(), "export", "--since", "2999-01-01");
        assertEquals(0, none.code(), none.err());
        assertEquals(0, none.out().length, "stdout: '" + none.outText() + "'");
    }

    @Test
    void exportCsvRoundTrips() throws Exception {
        E2e.Proc csv = E2e.process(60, "--data-dir", data.toString(), "export", "--format", "csv", "--chat", "@scripts");
        assertEquals(0, csv.code(), csv.err());
        assertEquals("", csv.err());
        List<List<String>> table = parseCsv(csv.outText());
        assertEquals(List.of("chat", "chatName", "sub", "id", "sender", "senderName", "createdAt", "content", "edited",
                "deleted", "replyToChat", "replyToSub", "replyToId", "reactions", "files"), table.get(0));
        List<List<String>> rows = table.subList(1, table.size());
        assertEquals(CONTENTS.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(15, rows.get(i).size(), "columns of row " + i);
            assertEquals(chat, rows.get(i).get(0));
            assertEquals("Scripts, \"Inc\"", rows.get(i).get(1));
            assertEquals(String.valueOf(i + 1), rows.get(i).get(3));
            assertEquals(CONTENTS.get(i), rows.get(i).get(7), "content of row " + i);
            // Every reactions and files cell is JSON text, an empty array when there are none.
            assertTrue(Json.mapper().readTree(rows.get(i).get(13)).isArray(), "reactions of row " + i);
            assertTrue(Json.mapper().readTree(rows.get(i).get(14)).isArray(), "files of row " + i);
        }
        assertEquals("👍", Json.mapper().readTree(rows.get(1).get(13)).path(0).path("reaction").asText());
    }

    /** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, quotes ("") and newlines. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        boolean fieldStarted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                i++;
            } else if (c == '"') {
                throw new AssertionError("a quote inside an unquoted field at offset " + i);
            } else if (c == '\n' || c == '\r') {
                throw new AssertionError("a bare line break outside quotes at offset " + i);
            } else {
                field.append(c);
                fieldStarted = true;
            }
            i++;
        }
        if (quoted) throw new AssertionError("unterminated quoted field");
        if (fieldStarted || !record.isEmpty()) throw new AssertionError("the last record does not end with CRLF");
        return records;
    }

    /**
     * A closed pipe mid-export (several readers writing megabytes; JSON Lines, text and a whole-store archive) ends it
     * quietly: exit 0, nothing on stderr. On a
     * copy of the account whose store holds 8 chats x 3,000 messages more, so the export is far from done when head
     * has its lines.
     */
    @Test
    void exportPipedIntoHeadEndsQuietly() throws Exception {
        Path copy = dir.resolve("big");
        try (var files = Files.walk(data)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(data.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Path store;
        try (var files = Files.walk(copy)) {
            store = files.filter(p -> p.getFileName().toString().equals("store.db")).findFirst().orElseThrow();
        }
        try (dev.novyse.store.LocalDatabase db = dev.novyse.store.LocalDatabase.open(store)) {
            db.inTransaction(tx -> {
                var w = new dev.novyse.store.StoreWriter(tx);
                for (int c = 0; c < 8; c++) {
                    String uuid = "bulk-" + c;
                    w.upsertChat(dev.novyse.store.Fixtures.chat(uuid, "GROUP", "Bulk " + c, null, 0, List.of("u")));
                    for (long i = 1; i <= 3000; i++) {
                        w.upsertMessage(dev.novyse.store.Fixtures.msg(uuid, 0, i, "u", "bulk message " + i + " of chat " + c));
                    }
                }
                return null;
            });
        }
        for (List<String> format : List.of(List.<String>of(), List.of("--format", "text"), List.of("--all"))) {
            List<String> args = new ArrayList<>(List.of("--data-dir", copy.toString(), "export"));
            args.addAll(format);
            StringBuilder cmd = new StringBuilder("set -o pipefail; ");
            for (String a : E2e.novyseProcess(args.toArray(String[]::new)).command()) {
                cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
            }
            cmd.append("| head -n 3");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString());
            pb.environment().remove("NOVYSE_SERVER");
            Process p = pb.start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "export | head -n 3 ends by itself " + format);
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "pipefail: export itself exited 0 " + format + "; stderr: " + err);
            assertEquals("", err.strip(), format.toString());
            List<String> lines = out.lines().toList();
            assertEquals(3, lines.size(), out);
            if (format.isEmpty()) {
                for (String line : lines) assertTrue(Json.mapper().readTree(line).has("content"), line);
            }
        }
    }
}
