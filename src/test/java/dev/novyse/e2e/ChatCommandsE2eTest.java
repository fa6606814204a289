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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands for what the server offers besides sending, against a real server, each with its refusal:
 * {@code dm} and a DM named by the person ({@code send @olek}), {@code chat create|join|leave|rename|info|members|
 * pin|unpin}, {@code message edit|delete|react|unreact|pin|unpin|read|favorite}, {@code profile}, {@code settings}.
 * Every action shows in the store after it (through the follow-up sync); every refusal is one line on stderr, its
 * documented exit code, nothing on stdout and nothing changed in the store.
 */
class ChatCommandsE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
        api = new RawApi(server.url());
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static Cli signup(String username, String name) {
        return Cli.signup(dir, server.url(), username, name);
    }

    /**
     * A CLI account of its own data directory under {@code root}, signed up with a display name on the server at
     * {@code serverUrl} (other e2e classes of CLI commands use it too, with their own root and server).
     */
    record Cli(Path root, Path data, String username) {
        static Cli signup(Path root, String serverUrl, String username, String name) {
            Path data = root.resolve(username);
            E2e.Run r = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", data.toString(), "--server", serverUrl,
                    "signup", username, "--name", name);
            assertEquals(0, r.code(), r.toString());
            return new Cli(root, data, username);
        }

        E2e.Run run(String... args) {
            List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
            all.addAll(List.of(args));
            return E2e.cli("", all.toArray(String[]::new));
        }

        E2e.Run ok(String... args) {
            E2e.Run r = run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
            return r;
        }

        JsonNode json(String... args) throws Exception {
            String out = ok(args).out();
            assertEquals(1, out.lines().count(), out);
            return Json.mapper().readTree(out);
        }

        Path db() throws Exception {
            return E2e.accountDir(data).resolve("store.db");
        }

        String uuid() throws Exception {
            return E2e.credentials(data).path("userUUID").asText();
        }

        long count(String sql) throws Exception {
            return Projection.scalar(db(), sql);
        }

        String text(String sql) throws Exception {
            try (Connection c = Projection.open(db()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }

        /** A copy of this account whose server does not answer. */
        Cli offline(String name) throws Exception {
            Path copy = root.resolve(name);
            CliContractE2eTest.copyTree(data, copy);
            E2e.pointCredentialsAt(copy, "http://127.0.0.1:" + E2e.deadPort());
            return new Cli(root, copy, username);
        }
    }

    static void assertRefused(E2e.Run r, int code, String what) {
        assertEquals(code, r.code(), what + ": " + r);
        assertEquals(1, r.errLines().size(), what + ": stderr must be one line: " + r.err());
        assertTrue(r.err().startsWith("novyse: "), what + ": " + r.err());
        assertEquals("", r.out(), what + ": stdout must be empty");
    }

    @Test
    void aDmIsStartedByTheOtherPersonsHandleOrName() throws Exception {
        Cli mara = signup("mara", "Mara Lind");
        Cli olek = signup("olek", "Olek Nowak");
        mara.ok("sync", "--quiet");

        E2e.Run send = mara.ok("send", "@olek", "hi Olek");
        assertTrue(send.err().startsWith("sent to Olek Nowak"), send.err());
        assertEquals(1, mara.count("SELECT COUNT(*) FROM chat WHERE type = 'DM'"));
        assertEquals(1, mara.count("SELECT COUNT(*) FROM message WHERE content = 'hi Olek'"));

        JsonNode dm = mara.json("dm", "Olek Nowak", "--format", "jsonl");
        assertEquals("DM", dm.path("type").asText());
        assertEquals("Olek Nowak", dm.path("title").asText());
        assertEquals(mara.text("SELECT uuid FROM chat WHERE type = 'DM'"), dm.path("uuid").asText(), "the same DM, not another");

        olek.ok("sync", "--quiet");
        assertEquals(dm.path("uuid").asText(), olek.json("dm", "@mara", "--format", "jsonl").path("uuid").asText());
        olek.ok("send", "Mara Lind", "hello back");
        olek.ok("send", "mara", "and again");
        mara.ok("sync", "--quiet");
        assertEquals(3, mara.count("SELECT COUNT(*) FROM message"));

        assertRefused(mara.run("dm", "@nobody_here"), 2, "a DM with a user nobody has");
        assertRefused(mara.run("send", "@nobody_here", "hi"), 2, "a send to nobody");
        assertRefused(mara.run("dm", "@mara"), 2, "a DM with oneself");
        assertEquals(1, mara.count("SELECT COUNT(*) FROM chat"));
        assertEquals(0, mara.count("SELECT COUNT(*) FROM pending_message"));
    }

    @Test
    void chatsAreCreatedJoinedRenamedPinnedAndLeft() throws Exception {
        Cli ann = signup("ann", "Ann");
        Cli ben = signup("ben", "Ben");
        JsonNode made = ann.json("chat", "create", "Crew", "--handle", "crew", "@ben", "--format", "jsonl");
        assertEquals("GROUP", made.path("type").asText());
        assertEquals("crew", made.path("handle").asText());
        String crew = made.path("uuid").asText();

        JsonNode info = ann.json("chat", "info", "@crew", "--format", "jsonl");
        assertEquals(crew, info.path("uuid").asText());
        assertEquals(2, info.path("members").size(), info.toString());
        for (JsonNode m : info.path("members")) {
            List<String> roles = new ArrayList<>();
            m.path("roles").forEach(r -> roles.add(r.asText()));
            // The creator is the owner (each role includes the ones below it, docs/protocol.md#roles).
            boolean owner = m.path("handle").asText().equals("ann");
            assertEquals(owner ? List.of("member", "admin", "owner") : List.of("member"), roles, m.toString());
            assertEquals(owner ? "owner" : "member", m.path("role").asText(), m.toString());
        }
        assertEquals("owner", info.path("role").asText(), info.toString());
        ben.ok("sync", "--quiet");
        assertEquals(2, ben.ok("chat", "members", "Crew", "--format", "jsonl").out().lines().count());
        assertTrue(ben.ok("chat", "info", "crew").out().contains("Ann @ann  owner"));

        // A member who is not an admin may not rename: 403, exit 5, the store as it was.
        assertRefused(ben.run("chat", "rename", "@crew", "Ben's crew"), 5, "a member renaming");
        ben.ok("sync", "--quiet");
        assertEquals("Crew", ben.text("SELECT name FROM chat WHERE uuid = '" + crew + "'"));
        ann.ok("chat", "rename", "@crew", "Crew 2");
        assertEquals("Crew 2", ann.text("SELECT name FROM chat WHERE uuid = '" + crew + "'"));

        ann.ok("chat", "pin", "Crew 2");
        assertEquals(0, ann.count("SELECT position FROM chat_pin WHERE chatUUID = '" + crew + "'"));
        ann.ok("chat", "unpin", "@crew");
        assertEquals(0, ann.count("SELECT COUNT(*) FROM chat_pin"));

        RawApi.Account cat = api.signup("cat");
        new E2e.As(api, cat).createChat("CHANNEL", "Open", "open_room");
        JsonNode joined = ben.json("chat", "join", "@open_room", "--format", "jsonl");
        assertEquals("CHANNEL", joined.path("type").asText());
        assertEquals(1, ben.count("SELECT COUNT(*) FROM chat WHERE handle = 'open_room'"));
        assertRefused(ben.run("chat", "join", "@no_such_room"), 5, "joining a handle nobody has");
        // A channel's member may not post: refused before the outbox holds it (the server would refuse it from there).
        E2e.Run posted = ben.run("send", "@open_room", "hello all");
        assertRefused(posted, 5, "a member posting in a channel");
        assertTrue(posted.err().contains("only the admins of Open post there; nothing was sent"), posted.err());
        assertEquals(0, ben.count("SELECT COUNT(*) FROM pending_message"));
        ben.ok("chat", "leave", "@open_room");
        assertEquals(0, ben.count("SELECT COUNT(*) FROM chat WHERE handle = 'open_room'"));
        assertRefused(ben.run("chat", "leave", "@open_room"), 2, "leaving a chat no longer in the store");

        String dm = ben.json("dm", "ann", "--format", "jsonl").path("uuid").asText();
        assertRefused(ben.run("chat", "leave", dm), 2, "leaving a DM (refused before asking the server)");
        assertTrue(ben.run("chat", "leave", dm).err().contains("a DM cannot be left"));
        assertRefused(ben.run("chat", "create", "x".repeat(129)), 2, "a name longer than the server takes");
        assertEquals(1, ben.count("SELECT COUNT(*) FROM chat WHERE uuid = '" + dm + "'"));
        assertRefused(ben.run("chat", "create", "Nobody's", "@nobody_at_all"), 2, "a member nobody has");
        assertEquals(2, ben.run("chat", "create", "X", "--type", "dm").code(), "a type that is not offered");
        assertRefused(ben.run("chat", "create", " "), 2, "a blank name");
    }

    @Test
    void messagesAreActedOnByTheIdsExportAndWatchPrint() throws Exception {
        Cli dee = signup("dee", "Dee");
        Cli eve = signup("eve", "Eve");
        String room = dee.json("chat", "create", "Room", "--handle", "room", "eve", "--format", "jsonl").path("uuid").asText();
        dee.ok("send", "@room", "from dee");
        eve.ok("send", "@room", "from eve");
        dee.ok("sync", "--quiet");

        // What a script reads: the chat, sub and id of a JSON line ('watch' prints the same fields).
        JsonNode line = null;
        Path file = dir.resolve("room.jsonl");
        dee.ok("export", "--chat", "@room", "--format", "jsonl", "-o", file.toString());
        String exported = java.nio.file.Files.readString(file);
        for (String l : exported.lines().toList()) {
            JsonNode n = Json.mapper().readTree(l);
            if ("from eve".equals(n.path("content").asText())) line = n;
        }
        assertTrue(line != null, exported);
        String chat = line.path("chat").asText();
        String id = line.path("id").asText();
        String sub = line.path("sub").asText();
        String where = " WHERE chatUUID = '" + room + "' AND messageID = " + id;

        dee.ok("message", "react", chat, id, "👍", "--sub", sub);
        assertEquals(1, dee.count("SELECT COUNT(*) FROM reaction_message" + where + " AND reaction = '👍'"));
        dee.ok("message", "react", chat, id, "👍");
        assertEquals(1, dee.count("SELECT COUNT(*) FROM reaction_message" + where), "a reaction added twice is one");
        dee.ok("message", "unreact", "@room", id, "👍");
        assertEquals(0, dee.count("SELECT COUNT(*) FROM reaction_message" + where));
        // A shortcode is its emoji; a word is no reaction (exit 2, nothing sent).
        dee.ok("message", "react", "@room", id, ":thumbsup:");
        assertEquals(1, dee.count("SELECT COUNT(*) FROM reaction_message" + where + " AND reaction = '👍'"));
        dee.ok("message", "unreact", "@room", id, "+1");
        assertEquals(0, dee.count("SELECT COUNT(*) FROM reaction_message" + where));
        assertRefused(dee.run("message", "react", "@room", id, "hello"), 2, "a word as a reaction");
        assertRefused(dee.run("message", "react", "@room", id, "👍👍"), 2, "two emoji as one reaction");
        assertRefused(dee.run("message", "unreact", "@room", id, "thumbs"), 2, "a word to take back");
        dee.ok("sync", "--quiet");
        assertEquals(0, dee.count("SELECT COUNT(*) FROM reaction_message" + where));
        // Another client of dee's added ❤ without the sign ❤️ (the emoji's normal form) has: typing either here acts
        // on that one, never beside it.
        RawApi raw = new RawApi(server.url());
        String token = raw.post("/signin/password", null, java.util.Map.of("username", "dee", "password", E2e.PASSWORD))
                .body().path("token").asText();
        raw.ok(raw.put("/message/reaction", token, java.util.Map.of("chatUUID", room, "subID", 0,
                "messageID", Long.parseLong(id), "reaction", "\u2764")));
        dee.ok("sync", "--quiet");
        dee.ok("message", "react", "@room", id, "❤️");
        assertEquals(1, dee.count("SELECT COUNT(*) FROM reaction_message" + where), "one heart, not two");
        dee.ok("message", "unreact", "@room", id, ":heart:");
        assertEquals(0, dee.count("SELECT COUNT(*) FROM reaction_message" + where), "the bare heart taken back");

        dee.ok("message", "pin", "Room", id);
        assertEquals(1, dee.count("SELECT COUNT(*) FROM pinned_message" + where));
        dee.ok("message", "unpin", "Room", id);
        assertEquals(0, dee.count("SELECT COUNT(*) FROM pinned_message" + where));

        dee.ok("message", "favorite", "@room", id);
        assertEquals(1, dee.count("SELECT COUNT(*) FROM favorite_message" + where));
        dee.ok("message", "favorite", "@room", id, "--remove");
        assertEquals(0, dee.count("SELECT COUNT(*) FROM favorite_message" + where));

        dee.ok("message", "read", "@room", id);
        assertEquals(1, dee.count("SELECT COUNT(*) FROM message_read" + where + " AND userUUID = '" + dee.uuid() + "'"));
        // Read to the newest, then "read" an older one: the mark stays, and the line says so.
        String newest = dee.text("SELECT MAX(id) FROM message WHERE chatUUID = '" + room + "' AND subID = 0");
        assertEquals("read up to #" + newest + " in Room\n", dee.ok("message", "read", "@room", newest).err());
        dee.ok("sync", "--quiet");
        assertEquals("already read up to #" + newest + " in Room (a read mark only moves forward)\n",
                dee.ok("message", "read", "@room", "1").err());

        // Someone else's message: no edit (403, exit 5), the text as it was.
        assertRefused(dee.run("message", "edit", "@room", id, "rewritten"), 5, "editing another's message");
        assertEquals("from eve", dee.text("SELECT content FROM message WHERE chatUUID = '" + room + "' AND id = " + id));
        assertRefused(dee.run("message", "react", "@room", "999", "👍"), 5, "a reaction to no message");
        assertRefused(dee.run("message", "react", "@nowhere", id, "👍"), 2, "a chat nobody has");
        assertRefused(dee.run("message", "edit", "@room", id, " "), 2, "an edit to nothing");

        String mine = dee.text("SELECT id FROM message WHERE content = 'from dee'");
        dee.ok("message", "edit", "@room", mine, "from dee, edited");
        assertEquals(1, dee.count("SELECT COUNT(*) FROM message WHERE content = 'from dee, edited'"));
        // An admin (the creator) may delete anyone's message.
        dee.ok("message", "delete", "@room", id);
        assertEquals(1, dee.count("SELECT deleted FROM message WHERE chatUUID = '" + room + "' AND id = " + id));
        assertRefused(eve.run("message", "delete", "@room", mine), 5, "a member deleting another's message");
        eve.ok("sync", "--quiet");
        assertEquals(0, eve.count("SELECT deleted FROM message WHERE chatUUID = '" + room + "' AND id = " + mine));
    }

    @Test
    void chatReadMarksAChatOrEveryChatReadUpToWhatTheServerHasNow() throws Exception {
        Cli lou = signup("lou", "Lou");
        Cli max = signup("max", "Max");
        String team = max.json("chat", "create", "Lous team", "@lou", "--format", "jsonl").path("uuid").asText();
        String forum = max.json("chat", "create", "Lous forum", "@lou", "--type", "forum", "--format", "jsonl")
                .path("uuid").asText();
        max.ok("chat", "sub", "create", "Lous forum", "side");
        for (int i = 1; i <= 3; i++) max.ok("send", "Lous team", "team " + i);
        max.ok("send", "Lous forum", "general 1");
        max.ok("send", "Lous forum", "--sub", "side", "side 1");
        max.ok("send", "Lous forum", "--sub", "side", "side 2");
        lou.ok("sync", "--quiet");
        // A transcript and a search name a forum's sub as people do, by its name (they said "/1").
        java.nio.file.Path file = lou.root().resolve("forum.txt"); // export writes to the process's own stdout
        lou.ok("export", "--chat", "Lous forum", "--format", "text", "-o", file.toString());
        String transcript = java.nio.file.Files.readString(file);
        assertTrue(transcript.lines().anyMatch(l -> l.endsWith(" [Lous forum/side #1] Max: side 1")),
                "the sub by its name in the transcript:\n" + transcript);
        assertTrue(lou.ok("search", "side").out().contains("[Lous forum/side #2] Max: side 2"), "and in a search hit");
        lou.ok("message", "react", "Lous forum", "2", "👍", "--sub", "side"); // acted on as the hit names it
        max.ok("sync", "--quiet");
        assertEquals(1, max.count("SELECT COUNT(*) FROM reaction_message WHERE chatUUID = '" + forum
                + "' AND subID = 1 AND messageID = 2"));
        assertRefused(lou.run("message", "react", "Lous forum", "2", "👍", "--sub", "nowhere"), 2, "a sub not there");
        E2e.Run r = lou.ok("chat", "read", "Lous team");
        assertEquals("", r.out());
        assertTrue(r.err().contains("read Lous team"), r.err());
        String mark = "SELECT COALESCE(MAX(messageID), 0) FROM message_read WHERE userUUID = '" + lou.uuid() + "' AND ";
        max.ok("sync", "--quiet"); // the other member sees lou's mark at the newest message
        assertEquals(3, max.count(mark + "chatUUID = '" + team + "'"));
        // Then every chat with something unread at once, the forum's subs included, and a message that only the
        // server has so far (the command syncs first).
        max.ok("send", "Lous forum", "--sub", "side", "side 3");
        r = lou.ok("chat", "read", "--all");
        assertTrue(r.err().contains("read 1 chat"), r.err());
        max.ok("sync", "--quiet");
        assertEquals(1, max.count(mark + "chatUUID = '" + forum + "' AND subID = 0"));
        assertEquals(3, max.count(mark + "chatUUID = '" + forum + "' AND subID = 1"), "side 3 included");
        assertTrue(lou.ok("chat", "read", "Lous team").err().contains("nothing unread in Lous team"));
        assertTrue(lou.ok("chat", "read", "--all").err().contains("nothing unread"));
        assertRefused(lou.run("chat", "read"), 2, "neither a chat nor --all");
        assertRefused(lou.run("chat", "read", "Lous team", "--all"), 2, "both a chat and --all");
        assertRefused(lou.offline("lou-offline").run("chat", "read", "--all"), 4, "offline");
    }

    @Test
    void profileAndSettingsAreShownAndChanged() throws Exception {
        Cli fay = signup("fay", "Fay");
        Cli gus = signup("gus", "Gus");
        fay.ok("dm", "@gus");
        fay.ok("profile", "set", "--name", "Fay", "--surname", "Moss", "--bio", "knits", "--color", "#112233",
                "--birthday", "2000-01-02");
        JsonNode mine = fay.json("profile", "--format", "jsonl");
        assertEquals("Moss", mine.path("surname").asText());
        assertEquals("knits", mine.path("biography").asText());
        assertEquals("#112233", mine.path("color").asText());
        assertEquals("2000-01-02", mine.path("birthday").asText());
        assertEquals("fay", mine.path("handle").asText());

        gus.ok("sync", "--quiet");
        JsonNode seen = gus.json("profile", "show", "Fay Moss", "--format", "jsonl");
        assertEquals("knits", seen.path("biography").asText());
        assertTrue(gus.ok("profile", "show", "@fay").out().startsWith("Fay Moss (@fay)\nbio: knits\n"));
        fay.ok("profile", "set", "--bio", "");
        assertTrue(fay.json("profile", "--format", "jsonl").path("biography").isNull());

        assertRefused(fay.run("profile", "set", "--birthday", "2000-13-01"), 2, "a birthday that is no date");
        assertRefused(fay.run("profile", "set", "--color", "blue"), 2, "a colour that is not #RRGGBB");
        assertRefused(fay.run("profile", "set"), 2, "nothing to change");
        assertRefused(fay.run("profile", "set", "--name", " "), 2, "an empty name");
        assertRefused(gus.run("profile", "show", "@nobody_here"), 2, "a profile nobody has");

        fay.ok("settings", "set", "theme", "dark");
        fay.ok("settings", "set", "notify", "{\"sound\":false}");
        assertEquals("dark\n", fay.ok("settings", "get", "theme").out());
        JsonNode notify = fay.json("settings", "get", "notify", "--format", "jsonl");
        assertEquals(false, notify.path("value").path("sound").asBoolean(true), notify.toString());
        assertEquals("notify = {\"sound\":false}\ntheme = \"dark\"\n", fay.ok("settings", "get").out());
        fay.ok("settings", "unset", "theme");
        assertRefused(fay.run("settings", "get", "theme"), 2, "a setting that is not set");
        E2e.Run typo = fay.run("settings", "unset", "notfy");
        assertRefused(typo, 2, "unsetting a setting the account does not have");
        assertTrue(typo.err().contains("no setting 'notfy' to unset"), typo.err());
        assertEquals("notify = {\"sound\":false}\n", fay.ok("settings", "get").out(), "nothing else changed");
    }

    @Test
    void aNewHandleReachesContactsAndIsTheNameToSignInWith() throws Exception {
        Cli jo = signup("joe", "Jo");
        Cli kat = signup("kat", "Kat");
        jo.ok("dm", "@kat");
        kat.ok("sync", "--quiet");
        jo.ok("profile", "set", "--handle", "@Joanna");
        assertEquals("joanna", jo.json("profile", "--format", "jsonl").path("handle").asText());
        kat.ok("sync", "--quiet");
        assertEquals("Jo", kat.json("profile", "show", "@joanna", "--format", "jsonl").path("name").asText());
        assertRefused(kat.run("profile", "show", "@joe"), 2, "the old handle names nobody any more");
        kat.ok("send", "@joanna", "found you"); // a DM addressed by the new handle

        assertRefused(jo.run("profile", "set", "--handle", "kat"), 5, "a handle someone has");
        assertRefused(jo.run("profile", "set", "--handle", "x"), 2, "a handle too short");
        assertRefused(jo.run("profile", "set", "--handle", ""), 2, "no handle at all");
        assertEquals("joanna", jo.json("profile", "--format", "jsonl").path("handle").asText(), "nothing changed");

        RawApi.Reply oldName = api.post("/signin/password", null, Map.of("username", "joe", "password", E2e.PASSWORD));
        assertEquals(401, oldName.status(), oldName.text());
        RawApi.Reply newName = api.post("/signin/password", null, Map.of("username", "joanna", "password", E2e.PASSWORD));
        assertEquals(200, newName.status(), newName.text());
    }

    @Test
    void everyActionButSendAndReactIsRefusedOfflineWithExit4AndChangesNothing() throws Exception {
        Cli hal = signup("hal", "Hal");
        signup("ivy", "Ivy");
        hal.ok("chat", "create", "Den", "--handle", "den", "@ivy");
        hal.ok("send", "@den", "before");
        hal.ok("sync", "--quiet");
        String id = hal.text("SELECT id FROM message WHERE content = 'before'");
        Cli down = hal.offline("hal-offline");
        String before = Projection.client(down.db()).toString();

        List<List<String>> actions = List.of(
                List.of("chat", "rename", "@den", "Lair"), List.of("chat", "leave", "@den"),
                List.of("chat", "pin", "@den"), List.of("chat", "create", "Other"), List.of("chat", "join", "@den"),
                List.of("dm", "@ivy"),
                List.of("message", "edit", "@den", id, "changed"), List.of("message", "delete", "@den", id),
                List.of("message", "pin", "@den", id), List.of("message", "read", "@den", id),
                List.of("message", "favorite", "@den", id), List.of("profile", "set", "--bio", "offline"),
                List.of("settings", "set", "theme", "dark"));
        for (List<String> a : actions) {
            E2e.Run r = down.run(a.toArray(String[]::new));
            assertRefused(r, 4, String.join(" ", a));
            assertTrue(r.err().contains("was not done"), r.err());
        }
        assertEquals(before, Projection.client(down.db()).toString(), "a refused action changed the store");
        assertEquals(0, down.count("SELECT COUNT(*) FROM pending_message"));

        // Reading still works offline, and a send still queues.
        assertTrue(down.ok("chat", "info", "@den").out().startsWith("Den (GROUP, @den)"));
        assertEquals(7, down.run("send", "@den", "queued").code());
        assertEquals(1, down.count("SELECT COUNT(*) FROM pending_message"));

        // A reaction queues too (exit 7, one line); toggled offline, the latest toggle is the one that waits.
        E2e.Run react = down.run("message", "react", "@den", id, "👍");
        assertRefused(react, 7, "a reaction offline");
        assertTrue(react.err().contains("the reaction is queued"), react.err());
        assertRefused(down.run("message", "unreact", "@den", id, "👍"), 7, "taken back offline");
        assertRefused(down.run("message", "react", "@den", id, "🎉"), 7, "another one");
        assertRefused(down.run("message", "react", "@den", "9999", "👀"), 7, "to a message the server has not");
        assertEquals("👍:0,🎉:1,👀:1", down.text("SELECT group_concat(emoji || ':' || adding, ',') FROM"
                + " (SELECT emoji, adding FROM pending_reaction ORDER BY id)"));

        // Back online, one sync sends the queue once: the message, 🎉 (👍 was taken back), and says 👀 was refused.
        E2e.pointCredentialsAt(down.data(), server.url());
        E2e.Run sync = down.ok("sync");
        assertTrue(sync.err().contains("sent 2 queued reaction(s)"), sync.err());
        assertTrue(sync.err().contains("not sent, dropped: reaction 👀 on #9999"), sync.err());
        assertEquals(0, down.count("SELECT COUNT(*) FROM pending_reaction"));
        assertEquals(0, down.count("SELECT COUNT(*) FROM pending_message"));
        assertEquals("🎉", down.text("SELECT group_concat(reaction) FROM reaction_message WHERE messageID = " + id));
        E2e.Run again = down.ok("sync");
        assertTrue(!again.err().contains("reaction"), "nothing is sent twice: " + again.err());
    }

    @Test
    void aScriptReactsToWhatWatchPrints() throws Exception {
        Cli jon = signup("jon", "Jon");
        Cli kim = signup("kim", "Kim");
        jon.ok("chat", "create", "Ops", "--handle", "ops_room", "@kim");
        Process watch = E2e.novyseProcess("--data-dir", jon.data().toString(), "watch", "--chat", "@ops_room",
                "--status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(Json.mapper().readTree(l));
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            next(lines, l -> "CONNECTED".equals(l.path("status").asText()));
            kim.ok("send", "@ops_room", "deploy now");
            JsonNode m = next(lines, l -> "message".equals(l.path("type").asText()));
            assertEquals("deploy now", m.path("content").asText());

            // What the README's recipe does: the chat, id and sub of the line, handed to 'message react'.
            jon.ok("message", "react", m.path("chat").asText(), m.path("id").asText(), "👀", "--sub", m.path("sub").asText());
            JsonNode event = next(lines, l -> "event".equals(l.path("type").asText()));
            assertEquals("REACTION_ADDED", event.path("event").asText(), event.toString());
            assertEquals(1, jon.count("SELECT COUNT(*) FROM reaction_message WHERE reaction = '👀' AND messageID = "
                    + m.path("id").asLong()));
        } finally {
            watch.destroy();
            watch.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The next watch line that {@code wanted} accepts, skipping others; fails after 30 s. */
    static JsonNode next(BlockingQueue<JsonNode> lines, java.util.function.Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && wanted.test(l)) return l;
        }
        throw new AssertionError("watch printed no such line in 30 s");
    }
}
