package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.novyse.e2e.E2e.As.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code novyse export --all} and {@code novyse import} against a real server: a store synced from a rich scenario
 * (edits, deletes, reactions, replies, pins, reads, favourites, forum subs, a deleted sub, files, settings, pinned
 * chats) is exported, imported into a fresh data directory and exported again. The second archive equals the first
 * byte for byte after the header, whose only difference is {@code exportedAt}; the imported store projects exactly
 * like the original one and, signed in, continues syncing incrementally. Bad files are refused with one line on
 * stderr, exit 6, and no store left behind.
 */
class ArchiveRoundTripE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;
    static Path data;
    static Path archive;
    static String team;
    static String forum;
    static List<String> archiveLines;

    @BeforeAll
    static void setUp() throws IOException, InterruptedException {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        data = dir.resolve("alice");
        E2e.cliSignup(data, server.url(), "alice");
        JsonNode cred = E2e.credentials(data);
        E2e.As alice = new E2e.As(api, new RawApi.Account("alice", cred.path("token").asText(),
                cred.path("userUUID").asText(), null));
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        E2e.As carol = new E2e.As(api, api.signup("carol"));
        E2e.As dave = new E2e.As(api, api.signup("dave")); // in no chat of alice's: never in her archive

        team = bob.createChat("GROUP", "Team, \"core\"", "team", alice.uuid(), carol.uuid());
        forum = alice.createChat("FORUM", "Forum", "forum", bob.uuid());
        String dm = bob.createChat("DM", null, null, alice.uuid());
        dave.createChat("GROUP", "Elsewhere", "elsewhere");
        for (int i = 1; i <= 8; i++) {
            (i % 2 == 0 ? bob : alice).send(team, 0, "m" + i + " \"quoted\", comma\nnewline 🎉 \u0001");
        }
        // Synced before the edits and deletes: the store records edit history and deletions from their events.
        assertEquals(0, cli(data, "", "sync", "--quiet").code());
        alice.ok("PATCH", "/message", msg(team, 0, 1, "content", "m1 edit 1"));
        alice.ok("PATCH", "/message", msg(team, 0, 1, "content", "m1 edit 2"));
        bob.ok("PATCH", "/message", msg(team, 0, 2, "content", "m2 edited"));
        bob.ok("PUT", "/message/reaction", msg(team, 0, 1, "reaction", "👍"));
        carol.ok("PUT", "/message/reaction", msg(team, 0, 1, "reaction", "🎉"));
        alice.ok("PUT", "/message/reaction", msg(team, 0, 3, "reaction", "👍"));
        bob.ok("PUT", "/message/pin", msg(team, 0, 2));
        bob.ok("POST", "/message/read", msg(team, 0, 5));
        carol.ok("POST", "/message/read", msg(team, 0, 8));
        bob.ok("DELETE", "/message", msg(team, 0, 3)); // an admin deletes alice's message and its reaction
        alice.ok("POST", "/message", Map.of("chatUUID", team, "subID", 0, "content", "a reply",
                "replyTos", List.of(Map.of("messageID", 2, "rangeStart", 0, "rangeEnd", 2))));
        // A file message is two-phase: the reply carries a signed upload URL, the message exists once confirmed.
        JsonNode pending = bob.ok("POST", "/message", Map.of("chatUUID", team, "subID", 0, "content", "the plan",
                "files", List.of(Map.of("name", "plan.pdf", "mimeType", "application/pdf", "size", 1234))));
        HttpResponse<String> upload = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(pending.path("files").get(0).path("uploadURL").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1234])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, upload.statusCode(), upload.body());
        bob.ok("POST", "/message/confirm", Map.of("messageUUID", pending.path("messageUUID").asText()));
        long design = alice.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "design")).path("id").asLong();
        long gone = alice.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "gone")).path("id").asLong();
        bob.send(forum, (int) design, "in design");
        alice.send(forum, (int) design, "me too");
        alice.send(forum, (int) gone, "soon gone");
        alice.ok("DELETE", "/chat/sub/delete", Map.of("chatUUID", forum, "id", gone));
        alice.ok("PATCH", "/chat/sub/rename", Map.of("chatUUID", forum, "id", design, "name", "design-2"));
        bob.send(dm, 0, "hi alice");
        alice.ok("PUT", "/chat/pin", Map.of("chatUUID", dm, "position", 1));
        alice.ok("PUT", "/message/favorite", msg(dm, 0, 1));
        alice.ok("PUT", "/user/settings/preferences", Map.of("key", "theme", "value", Map.of("name", "dark", "size", 3)));
        alice.ok("PUT", "/user/settings/preferences", Map.of("key", "notify", "value", true));

        E2e.Run sync = cli(data, "", "sync", "--quiet");
        assertEquals(0, sync.code(), sync.toString());
        // The chat screen keeps the chat last open as a local setting: every whole-store export failed on it once.
        try (dev.novyse.store.LocalDatabase db = dev.novyse.store.LocalDatabase.open(store(data))) {
            db.setLocalSetting("tui.lastChat", dm + "/0");
        }
        archive = dir.resolve("alice.jsonl");
        E2e.Run export = cli(data, "", "export", "--all", "-o", archive.toString());
        assertEquals(0, export.code(), export.toString());
        assertEquals("", export.out() + export.err());
        archiveLines = Files.readAllLines(archive);
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static E2e.Run cli(Path dataDir, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        return E2e.cli(stdin, all.toArray(String[]::new));
    }

    static Path store(Path dataDir) throws IOException {
        return E2e.accountDir(dataDir).resolve("store.db");
    }

    /** The archive with the header's exportedAt blanked: the one field a second export may change. */
    static List<String> comparable(List<String> lines) throws IOException {
        ObjectNode header = (ObjectNode) Json.mapper().readTree(lines.get(0));
        assertTrue(header.path("exportedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), header.toString());
        header.put("exportedAt", "");
        List<String> out = new ArrayList<>(lines);
        out.set(0, header.toString());
        return out;
    }

    static long kinds(List<String> lines, String kind) {
        return lines.stream().filter(l -> l.startsWith("{\"kind\":\"" + kind + "\"")).count();
    }

    @Test
    void theArchiveHoldsEveryKindOfState() throws IOException {
        JsonNode header = Json.mapper().readTree(archiveLines.get(0));
        assertEquals("novyse-export", header.path("kind").asText());
        assertEquals(1, header.path("version").asInt());
        assertEquals("account", header.path("scope").asText());
        assertTrue(header.path("account").asText().startsWith("alice@127.0.0.1_"), header.toString());
        assertEquals(server.url(), header.path("server").asText());
        assertEquals("{\"kind\":\"end\",\"records\":" + (archiveLines.size() - 2) + "}", archiveLines.get(archiveLines.size() - 1));
        for (String kind : List.of("user", "chat", "handle", "sub", "member", "chatPin", "file", "message", "edit",
                "deletion", "reply", "reaction", "messageFile", "read", "pin", "favorite", "setting", "cursor")) {
            assertTrue(kinds(archiveLines, kind) > 0, "no " + kind + " record in\n" + String.join("\n", archiveLines));
        }
        assertEquals(3, kinds(archiveLines, "chat"));
        assertEquals(3, kinds(archiveLines, "user"), "alice, bob and carol; never dave");
        assertTrue(kinds(archiveLines, "edit") >= 2, "the author gets every edit of her own message");
        assertTrue(archiveLines.stream().anyMatch(l -> l.contains("\"content\":\"m1 edit 1\"")), "edit history kept");
        assertFalse(archiveLines.stream().anyMatch(l -> l.contains("soon gone")), "a deleted sub's messages stay gone");
        assertTrue(archiveLines.stream().anyMatch(l -> l.startsWith("{\"kind\":\"setting\",\"key\":\"theme\",\"value\":{") && l.contains("\"name\":\"dark\"")),
                "a setting's value is JSON, not a string: " + archiveLines.stream().filter(l -> l.contains("\"setting\"")).toList());
        assertTrue(archiveLines.stream().anyMatch(l -> l.startsWith("{\"kind\":\"setting\",\"key\":\"tui.lastChat\",\"value\":\"")
                && l.contains("\"scope\":\"local\"")), "the chat screen's own setting, a JSON string");
    }

    @Test
    void exportImportExportIsByteEqualAndTheStoreProjectsTheSame() throws Exception {
        Path fresh = dir.resolve("restored");
        E2e.Run imp = cli(fresh, "", "import", archive.toString());
        assertEquals(0, imp.code(), imp.toString());
        assertEquals("", imp.out(), "import prints nothing on stdout");
        assertEquals(1, imp.errLines().size(), imp.err());
        assertTrue(imp.err().contains("with its sync cursors"), imp.err());

        Path again = dir.resolve("again.jsonl");
        E2e.Run export = cli(fresh, "", "export", "--all", "--output", again.toString());
        assertEquals(0, export.code(), export.toString());
        assertEquals(comparable(archiveLines), comparable(Files.readAllLines(again)));
        byte[] a = Files.readAllBytes(archive);
        byte[] b = Files.readAllBytes(again);
        int firstNewline = indexOf(a, (byte) '\n');
        assertEquals(new String(a, firstNewline, a.length - firstNewline, StandardCharsets.UTF_8),
                new String(b, indexOf(b, (byte) '\n'), b.length - indexOf(b, (byte) '\n'), StandardCharsets.UTF_8),
                "every byte after the header is equal");

        Projection.assertSame(Projection.client(store(data)), Projection.client(store(fresh)), "imported store");
        assertEquals(Projection.cursors(store(data)), Projection.cursors(store(fresh)));
        assertEquals(Projection.scalar(store(data), "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'edit'"),
                Projection.scalar(store(fresh), "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'edit'"),
                "the full-text index is rebuilt by the import");
        assertEquals("ok", Projection.integrityCheck(store(fresh)));

        // Readable offline at once; a sync asks for a login instead of failing obscurely.
        E2e.Run chats = cli(fresh, "", "chats", "--format", "jsonl");
        assertEquals(0, chats.code(), chats.toString());
        assertEquals(3, chats.out().lines().count());
        assertTrue(chats.out().lines().noneMatch(l -> l.startsWith(" ")), "no JSON line starts with a space: " + chats.out());
        E2e.Run sync = cli(fresh, "", "sync");
        assertEquals(3, sync.code(), sync.toString());
        assertTrue(sync.err().contains("novyse login alice"), sync.err());

        // Signed in, it continues from the archive's cursors: no initialize, only what is new.
        E2e.Run login = cli(fresh, E2e.PASSWORD + "\n", "--server", server.url(), "login", "alice");
        assertEquals(0, login.code(), login.toString());
        E2e.As bob = new E2e.As(api, signin("bob"));
        bob.send(team, 0, "after the backup");
        E2e.Run stats = cli(fresh, "", "sync", "--stats");
        assertEquals(0, stats.code(), stats.toString());
        JsonNode s = Json.mapper().readTree(stats.out());
        assertFalse(s.path("initialized").asBoolean(), stats.out());
        assertEquals(1, s.path("messages").asInt(), stats.out());
        String token = E2e.credentials(fresh).path("token").asText();
        Projection.assertSame(Projection.server(server.url(), token), Projection.client(store(fresh)),
                "the imported store after an incremental sync");
    }

    static RawApi.Account signin(String username) {
        RawApi.Reply r = api.post("/signin/password", null, Map.of("username", username, "password", E2e.PASSWORD));
        assertEquals(200, r.status(), r.text());
        return new RawApi.Account(username, r.body().get("token").asText(), r.body().get("userUUID").asText(),
                r.body().get("session_id").asText());
    }

    static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }

    @Test
    void theJsonDocumentLayoutAndStdinImportTheSame() throws Exception {
        Path doc = dir.resolve("alice.json");
        assertEquals(0, cli(data, "", "export", "--all", "--format", "json", "-o", doc.toString()).code());
        JsonNode whole = Json.mapper().readTree(doc.toFile());
        assertEquals(1, whole.path("version").asInt());
        assertEquals(archiveLines.size() - 1, whole.path("records").size(), "every record and the end record");
        Path fromDoc = dir.resolve("from-doc");
        assertEquals(0, cli(fromDoc, "", "import", doc.toString()).code());
        Path fromStdin = dir.resolve("from-stdin");
        E2e.Run imp = cli(fromStdin, Files.readString(archive), "import", "-");
        assertEquals(0, imp.code(), imp.toString());
        for (Path restored : List.of(fromDoc, fromStdin)) {
            Path out = dir.resolve(restored.getFileName() + ".jsonl");
            assertEquals(0, cli(restored, "", "export", "--all", "-o", out.toString()).code());
            assertEquals(comparable(archiveLines), comparable(Files.readAllLines(out)), restored.toString());
        }
    }

    @Test
    void aOneChatArchiveHoldsThatChatAndItsPeopleOnly() throws Exception {
        Path one = dir.resolve("team.jsonl");
        E2e.Run r = cli(data, "", "export", "--all", "--chat", "@team", "-o", one.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(one);
        JsonNode header = Json.mapper().readTree(lines.get(0));
        assertEquals("chat", header.path("scope").asText());
        assertEquals(team, header.path("chat").asText());
        assertEquals(1, kinds(lines, "chat"));
        assertEquals(0, kinds(lines, "setting") + kinds(lines, "cursor") + kinds(lines, "favorite"));
        assertEquals(3, kinds(lines, "user"));
        assertTrue(lines.stream().filter(l -> l.contains("\"chat\":\"")).allMatch(l -> l.contains(team)), String.join("\n", lines));

        Path restored = dir.resolve("team-only");
        E2e.Run imp = cli(restored, "", "import", one.toString());
        assertEquals(0, imp.code(), imp.toString());
        assertTrue(imp.err().contains("read-only copy"), imp.err());
        assertEquals(0, Projection.scalar(store(restored), "SELECT COUNT(*) FROM sync_state"), "no cursors");
        // In-process, so to a file: export writes to the process's stdout descriptor itself.
        Path csv = dir.resolve("team.csv");
        E2e.Run messages = cli(restored, "", "export", "--format", "csv", "-o", csv.toString());
        assertEquals(0, messages.code(), messages.toString());
        assertEquals(kinds(lines, "message") + 1, Files.readString(csv).split("\r\n").length, "a header and one row per message");
        assertEquals(kinds(lines, "message"), Projection.scalar(store(restored), "SELECT COUNT(*) FROM message"));
        assertEquals(10, kinds(lines, "message"), "eight, a reply and a file message");
    }

    @Test
    void onlyImportsTheChosenParts() throws Exception {
        Path settingsAndChats = dir.resolve("only-sc");
        E2e.Run r = cli(settingsAndChats, "", "import", "--only", "settings,chats", archive.toString());
        assertEquals(0, r.code(), r.toString());
        Path db = store(settingsAndChats);
        assertEquals(3, Projection.scalar(db, "SELECT COUNT(*) FROM chat"));
        assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM message"));
        assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM favorite_message"));
        assertEquals(3, Projection.scalar(db, "SELECT COUNT(*) FROM local_settings"), "two synced, the chat screen's own");
        assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM sync_state"), "a partial import carries no cursors");

        Path settingsOnly = dir.resolve("only-s");
        assertEquals(0, cli(settingsOnly, "", "import", "--only", "settings", archive.toString()).code());
        assertEquals(0, Projection.scalar(store(settingsOnly), "SELECT COUNT(*) FROM chat"));
        assertEquals(3, Projection.scalar(store(settingsOnly), "SELECT COUNT(*) FROM local_settings"));

        Path chatsAndMessages = dir.resolve("only-cm");
        assertEquals(0, cli(chatsAndMessages, "", "import", "--only", "chats,messages", archive.toString()).code());
        assertEquals(Projection.scalar(store(data), "SELECT COUNT(*) FROM message"),
                Projection.scalar(store(chatsAndMessages), "SELECT COUNT(*) FROM message"));
        assertEquals(0, Projection.scalar(store(chatsAndMessages), "SELECT COUNT(*) FROM local_settings"));

        assertRefused(cli(dir.resolve("only-m"), "", "import", "--only", "messages", archive.toString()), 2, dir.resolve("only-m"));
        assertRefused(cli(dir.resolve("only-x"), "", "import", "--only", "chats,bogus", archive.toString()), 2, dir.resolve("only-x"));
    }

    static void assertRefused(E2e.Run r, int code, Path dataDir) throws IOException {
        assertEquals(code, r.code(), r.toString());
        assertEquals("", r.out(), "stdout stays clean");
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().startsWith("novyse: "), r.err());
        Path accounts = dataDir.resolve("accounts");
        if (Files.isDirectory(accounts)) {
            try (var s = Files.walk(accounts)) {
                assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "a refused import left files behind");
            }
        }
    }

    Path badFile(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void badFilesAreRefusedWithOneLineAndLeaveNothing() throws Exception {
        int n = archiveLines.size();
        List<String> noEnd = archiveLines.subList(0, n - 1);
        List<String> garbage = new ArrayList<>(archiveLines);
        garbage.add(n / 2, "this is not json");
        List<String> cutLine = new ArrayList<>(archiveLines.subList(0, n / 2));
        cutLine.add(archiveLines.get(n / 2).substring(0, 12)); // ASCII: {"kind":"...
        List<String> newer = new ArrayList<>(archiveLines);
        newer.set(0, archiveLines.get(0).replace("\"version\":1,", "\"version\":2,"));
        List<String> unknownKind = new ArrayList<>(archiveLines);
        unknownKind.add(n - 1, "{\"kind\":\"hologram\",\"id\":1}");
        List<String> missing = new ArrayList<>(archiveLines);
        missing.remove(n / 2);
        List<String> wrongType = new ArrayList<>(archiveLines);
        int firstMessage = archiveLines.indexOf(archiveLines.stream().filter(l -> l.startsWith("{\"kind\":\"message\"")).findFirst().orElseThrow());
        wrongType.set(firstMessage, archiveLines.get(firstMessage).replace("\"edited\":true", "\"edited\":\"yes\"")
                .replace("\"edited\":false", "\"edited\":\"no\""));
        List<String> duplicate = new ArrayList<>(archiveLines);
        duplicate.add(firstMessage, archiveLines.get(firstMessage));
        duplicate.set(n, "{\"kind\":\"end\",\"records\":" + (n - 1) + "}");

        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("cut at a line end", noEnd);
        cases.put("cut inside a line", cutLine);
        cases.put("a garbage line", garbage);
        cases.put("a newer version", newer);
        cases.put("an unknown kind", unknownKind);
        cases.put("a record missing", missing);
        cases.put("a field of the wrong type", wrongType);
        cases.put("a duplicate record", duplicate);
        cases.put("empty", List.of());
        cases.put("not an export", List.of("{\"hello\":1}"));
        TreeSet<String> messages = new TreeSet<>();
        int i = 0;
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Path target = dir.resolve("bad-" + i);
            E2e.Run r = cli(target, "", "import", badFile("bad-" + i++ + ".jsonl", c.getValue()).toString());
            assertRefused(r, 6, target);
            assertTrue(r.err().contains("cannot import"), c.getKey() + ": " + r.err());
            messages.add(r.err().strip());
        }
        assertEquals(cases.size(), messages.size(), "each problem has its own message: " + messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("version 2 is not supported")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("cut short")), messages.toString());

        assertRefused(cli(dir.resolve("nofile"), "", "import", dir.resolve("no-such.jsonl").toString()), 2, dir.resolve("nofile"));
    }

    @Test
    void aStoreWithDataIsNeverImportedInto() throws Exception {
        long before = Projection.scalar(store(data), "SELECT COUNT(*) FROM message");
        E2e.Run r = cli(data, "", "import", archive.toString());
        assertEquals(6, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("already holds data"), r.err());
        assertEquals(before, Projection.scalar(store(data), "SELECT COUNT(*) FROM message"));

        E2e.Run usage = cli(data, "", "export", "--all", "--since", "2026-01-01T00:00:00Z");
        assertEquals(2, usage.code(), usage.toString());
        assertEquals(2, cli(data, "", "export", "--all", "--format", "csv").code());
        assertEquals(2, cli(data, "", "export", "--format", "json").code());
    }

    @Test
    void anExportToStdoutThatCannotFinishSaysSo() throws Exception {
        Path copy = dir.resolve("unreadable");
        assertEquals(0, cli(copy, "", "import", archive.toString()).code());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store(copy));
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE local_settings SET value_json = 'not json' WHERE key = 'theme'");
        }
        E2e.Proc p = E2e.process(60, "--data-dir", copy.toString(), "export", "--all");
        assertEquals(6, p.code(), p.err());
        assertEquals("novyse: the export stopped: a setting's value in the store is not JSON: not json", p.err().strip());

        // stdout on a full disk is not a reader that went away: said, never a silent exit 0 with a file cut short
        Path err = dir.resolve("full.err");
        Process full = E2e.novyseProcess("--data-dir", data.toString(), "export", "--all")
                .redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
        full.getOutputStream().close();
        assertTrue(full.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String said = Files.readString(err);
        assertEquals(6, full.exitValue(), said);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.startsWith("novyse: the export stopped: No space left on device"), said);
    }

    @Test
    void exportToAPipeWritesTheSameArchive() throws Exception {
        E2e.Proc p = E2e.process(60, "--data-dir", data.toString(), "export", "--all");
        assertEquals(0, p.code(), p.err());
        assertEquals("", p.err());
        assertEquals(comparable(archiveLines), comparable(p.outText().lines().toList()));
    }
}
