package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.e2e.ChatCommandsE2eTest.Cli;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.novyse.e2e.ChatCommandsE2eTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forum's subs (topics) from the command line against a real server: an admin starts, renames and deletes them
 * ({@code chat sub create|rename|delete}), everyone lists them from the store ({@code chat sub list}), a member is
 * refused (403, exit 5), and what is not a forum or not a sub is a usage error before the server is asked.
 */
class ForumSubsE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static Cli ida;
    static Cli jon;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
        ida = Cli.signup(dir, server.url(), "ida", "Ida Holm");
        jon = Cli.signup(dir, server.url(), "jon", "Jon Dahl");
        ida.ok("chat", "create", "Help", "--type", "forum", "--handle", "help", "@jon");
        ida.ok("chat", "create", "Plain", "--handle", "plain", "@jon");
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    @Test
    void sendNamesASubByItsNameAndASubThatCannotBeIsRefusedBeforeAnythingIsQueued() throws Exception {
        ida.ok("chat", "sub", "create", "@help", "Named One");
        // Jon's store has not heard of it yet: send looks again after a sync.
        jon.ok("send", "@help", "sent by the sub's name", "--sub", "named one");
        assertEquals("Named One", jon.text("SELECT s.name FROM message m JOIN chat_sub s ON s.chatUUID = m.chatUUID"
                + " AND s.id = m.subID WHERE m.content = 'sent by the sub''s name'"), "the message in the sub named");

        assertRefused(jon.run("send", "@plain", "in a sub of a group", "--sub", "1"), 2, "a sub of a group");
        assertTrue(jon.run("send", "@plain", "x", "--sub", "1").err().contains("not a forum"));
        assertRefused(jon.run("send", "@help", "in no sub", "--sub", "99"), 2, "a sub that is not there");
        assertEquals("", jon.ok("outbox", "--format", "jsonl").out(), "nothing left failed in the outbox");
    }

    @Test
    void anAdminStartsRenamesAndDeletesSubsAndEveryoneSeesThem() throws Exception {
        E2e.Run made = ida.ok("chat", "sub", "create", "@help", "Release 2.4", "--format", "jsonl");
        JsonNode sub = dev.novyse.protocol.Json.mapper().readTree(made.out());
        int id = sub.path("sub").asInt();
        assertTrue(id > 0, made.toString());
        assertEquals("Release 2.4", sub.path("name").asText());
        assertEquals("started Release 2.4 (sub " + id + ") in Help\n", made.err());

        jon.ok("send", "@help", "the notes are late", "--sub", Integer.toString(id));
        jon.ok("sync", "--quiet");
        String listed = jon.ok("chat", "sub", "list", "@help").out();
        assertTrue(listed.contains(id + "\tRelease 2.4"), listed);
        assertTrue(listed.startsWith("0\t"), "sub 0 first: " + listed);
        ida.ok("sync", "--quiet");
        assertTrue(ida.ok("chat", "sub", "list", "@help").out().contains(id + "\tRelease 2.4\t(1)"), "ida has one unread");

        assertEquals("renamed Release 2.4 to Release 2.4.1 in Help\n",
                ida.ok("chat", "sub", "rename", "@help", "release 2.4", "Release 2.4.1").err());
        jon.ok("sync", "--quiet");
        assertTrue(jon.ok("chat", "sub", "list", "@help").out().contains(id + "\tRelease 2.4.1"));

        String before = jon.ok("chat", "sub", "list", "@help", "--format", "jsonl").out();
        assertRefused(jon.run("chat", "sub", "create", "@help", "Mine"), 5, "a member starting a sub");
        assertRefused(jon.run("chat", "sub", "delete", "@help", Integer.toString(id)), 5, "a member deleting a sub");
        jon.ok("sync", "--quiet");
        assertEquals(before, jon.ok("chat", "sub", "list", "@help", "--format", "jsonl").out(), "nothing changed");

        assertEquals("deleted Release 2.4.1 from Help\n", ida.ok("chat", "sub", "delete", "@help", Integer.toString(id)).err());
        jon.ok("sync", "--quiet");
        assertTrue(!jon.ok("chat", "sub", "list", "@help").out().contains("Release"), "the sub is gone");
        assertEquals(0, jon.count("SELECT COUNT(*) FROM message WHERE content = 'the notes are late'"), "with its messages");
    }

    @Test
    void whatIsNotAForumOrNotASubIsAUsageError() {
        assertRefused(ida.run("chat", "sub", "create", "@plain", "Topic"), 2, "a sub in a group");
        assertRefused(ida.run("chat", "sub", "list", "@plain"), 2, "a group's subs");
        assertRefused(ida.run("chat", "sub", "create", "@help", "  "), 2, "a blank name");
        assertRefused(ida.run("chat", "sub", "create", "@help", "two\nlines"), 2, "a name of two lines");
        assertRefused(ida.run("chat", "create", "tab\there"), 2, "a chat's name with a tab");
        assertRefused(ida.run("chat", "sub", "rename", "@help", "nope", "x"), 2, "a sub nobody has");
        assertRefused(ida.run("chat", "sub", "delete", "@help", "0"), 2, "sub 0");
        assertEquals(2, ida.run("chat", "sub").code(), "no subcommand: the usage, as 'chat' alone");
    }

    private static void inIdasStore(String sql) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + E2e.accountDir(ida.data()).resolve("store.db")); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void aNameThatFitsTwoSubsIsRefusedAndAnExactNameWins() throws Exception {
        ida.ok("chat", "sub", "create", "@help", "Twice");
        // This server refuses a second "Twice" (409); a server without that rule (the public one) may have two: the
        // second is put into ida's store as a sync from there would.
        assertRefused(ida.run("chat", "sub", "create", "@help", "Twice"), 5, "a name the forum has");
        inIdasStore("INSERT INTO chat_sub(chatUUID, id, name, type) SELECT chatUUID, 900, name, type FROM chat_sub"
                + " WHERE name = 'Twice'");
        int dup = dev.novyse.protocol.Json.mapper().readTree(
                ida.ok("chat", "sub", "create", "@help", "Dup", "--format", "jsonl").out()).path("sub").asInt();
        int lower = dev.novyse.protocol.Json.mapper().readTree(
                ida.ok("chat", "sub", "create", "@help", "dup", "--format", "jsonl").out()).path("sub").asInt();
        try {
            String before = ida.ok("chat", "sub", "list", "@help").out();
            E2e.Run twice = ida.run("chat", "sub", "delete", "@help", "twice");
            assertRefused(twice, 2, "a name two subs share");
            assertTrue(twice.err().contains("name the one you mean by its id"), twice.err());
            assertEquals(before, ida.ok("chat", "sub", "list", "@help").out(), "nothing deleted");
        } finally { // ida's store is shared by the class's tests
            inIdasStore("DELETE FROM chat_sub WHERE id = 900");
        }

        ida.ok("chat", "sub", "create", "@help", Integer.toString(dup)); // a sub named as another's id
        assertRefused(ida.run("chat", "sub", "delete", "@help", Integer.toString(dup)), 2, "an id and a name at once");
        assertEquals("deleted dup from Help\n", ida.ok("chat", "sub", "delete", "@help", "dup").err(), "the exact name");
        String after = ida.ok("chat", "sub", "list", "@help").out();
        assertTrue(after.contains(dup + "\tDup") && !after.contains(lower + "\tdup"), after);
    }
}
