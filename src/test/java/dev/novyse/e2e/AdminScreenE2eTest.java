package dev.novyse.e2e;

import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat screen's commands on the open chat, in tmux with the bytes a terminal sends, checked on the server's own
 * tables: an owner renames, describes, invites, makes an admin, lists the members, kicks and pins; leaving asks
 * first and the owner's leave with members left is refused; a member's rename is refused with the server's own
 * sentence and changes nothing.
 */
class AdminScreenE2eTest {
    @TempDir
    Path dir;
    ChatScreenFixture f;
    E2e.As bob;
    RawApi.Account carol;
    String team;
    String bobs;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        bob = new E2e.As(f.api, f.api.signup("bob"));
        carol = f.api.signup("carol");
        E2e.As alice = new E2e.As(f.api, f.alice);
        bobs = bob.createChat("GROUP", "Bobs", null, f.alice.uuid());
        team = alice.createChat("GROUP", "Team", null, bob.uuid());
        E2e.nextMillisecond();
        alice.send(team, 0, "alice's own words"); // newest: Team opens first
        f.login();
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private long server(String sql) throws Exception {
        return f.serverCount(sql);
    }

    private void await(String what, ChatScreenFixture.ServerCondition done) throws Exception {
        f.awaitServer(what, done);
    }

    private static String lastLine(String screen) {
        return screen.lines().reduce((a, b) -> b).orElse("");
    }

    private void command(String line) throws Exception {
        tmux.type(line);
        tmux.keys("Enter");
    }

    @Test
    void theOwnerDeletesSomeoneElsesMessageAndAMemberIsToldWhoMay() throws Exception {
        bob.send(team, 0, "spam from bob");
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("spam from bob"));
        tmux.bytes((byte) 0x1b, (byte) '[', (byte) 'Z'); // Shift-Tab: the newest message selected
        tmux.awaitText("SELECTING a message");
        tmux.bytes("d");
        tmux.awaitText("Delete BOB's “spam from bob” for everyone, as an admin?");
        tmux.bytes("y");
        await("bob's message deleted", () -> server("SELECT COUNT(*) FROM messages WHERE chat_uuid = '" + team
                + "' AND sender_uuid = '" + bob.uuid() + "' AND deleted = 1") == 1);
        // In Bobs, alice is a member: bob's message there is not hers to delete, and the screen says who may.
        // Escape back to writing, seen done before the next key: an Escape followed at once by '/' is Alt-/.
        tmux.awaitText("SELECTING a message");
        tmux.keys("Escape");
        tmux.awaitScreen("writing again", x -> !x.contains("SELECTING a message"));
        command("/open Bobs");
        bob.send(bobs, 0, "bob in his own chat");
        tmux.awaitText("bob in his own chat");
        tmux.bytes((byte) 0x1b, (byte) '[', (byte) 'Z');
        tmux.awaitText("SELECTING a message");
        tmux.bytes("d");
        tmux.awaitText("only the chat's admins may delete others' messages");
        assertEquals(0, server("SELECT COUNT(*) FROM messages WHERE chat_uuid = '" + bobs + "' AND deleted = 1"));
    }

    @Test
    void aChannelsMemberIsToldThatOnlyAdminsPostAndKeepsTheTextUntilMadeAdmin() throws Exception {
        String news = bob.createChat("CHANNEL", "News", null, f.alice.uuid());
        E2e.nextMillisecond();
        bob.send(news, 0, "the first news"); // newest: News opens first
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("News, read-only", s -> s.contains("● live") && s.contains("the first news")
                && s.contains("read-only: only the channel's admins post here"));
        java.nio.file.Files.writeString(dir.resolve("note.txt"), "a file to attach");
        command("/attach " + dir.resolve("note.txt")); // a file neither
        // Said on the status bar (the last line; the composer's rule says it too).
        String refused = tmux.awaitScreen("the file refused", x -> lastLine(x).contains("only the channel's admins post here"));
        assertTrue(!refused.contains("outbox"), "no file queued for the server to refuse:\n" + refused);
        tmux.awaitScreen("the notice gone", x -> !lastLine(x).contains("admins post here"));
        // A reply is a post too: r on the news is refused, and the composer's rule still says why.
        tmux.bytes((byte) 0x1b, (byte) '[', (byte) 'Z'); // Shift-Tab: the newest message selected
        String selecting = tmux.awaitText("SELECTING a message");
        assertTrue(!selecting.contains(" reply · "), "the rule does not offer a reply:\n" + selecting);
        tmux.bytes("r");
        String reply = tmux.awaitText("only the channel's admins post here, replies too");
        assertTrue(!reply.contains("reply to"), "no reply begun:\n" + reply);
        tmux.bytes((byte) 0x1b);
        tmux.awaitScreen("back to writing, still read-only", x -> !x.contains("SELECTING")
                && x.contains("read-only: only the channel's admins post here"));
        tmux.bytes("may I post?");
        tmux.keys("Enter");
        String s = tmux.awaitText("only the channel's admins post here; your text stays");
        assertTrue(s.contains("may I post?"), s);
        assertTrue(!s.contains("outbox"), "nothing queued for the server to refuse:\n" + s);
        bob.ok("PUT", "/chat/admin", java.util.Map.of("chatUUID", news, "userUUID", f.alice.uuid()));
        tmux.awaitScreen("News, writable", x -> x.contains("message News") && !x.contains("read-only"));
        tmux.keys("Enter");
        await("alice's post in News", () -> server("SELECT COUNT(*) FROM messages WHERE chat_uuid = '" + news
                + "' AND sender_uuid = '" + f.alice.uuid() + "' AND content = 'may I post?'") == 1);
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
    }

    @Test
    void theOwnerRunsTheChatFromTheComposer() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("alice's own words"));

        command("/rename Crew");
        await("the new name", () -> server("SELECT COUNT(*) FROM chats WHERE uuid = '" + team + "' AND name = 'Crew'") == 1);
        tmux.awaitText("renamed to Crew");
        command("/describe Where the crew talks");
        await("the description", () -> server("SELECT COUNT(*) FROM chats WHERE uuid = '" + team
                + "' AND description = 'Where the crew talks'") == 1);
        command("/invite @carol");
        await("carol invited", () -> server("SELECT COUNT(*) FROM members WHERE chat_uuid = '" + team
                + "' AND user_uuid = '" + carol.uuid() + "'") == 1);
        command("/admin @bob");
        await("bob an admin", () -> server("SELECT COUNT(*) FROM members WHERE chat_uuid = '" + team
                + "' AND user_uuid = '" + bob.uuid() + "' AND role_ids LIKE '%1%'") == 1);
        command("/members");
        String list = tmux.awaitScreen("the member list", x -> x.contains("3 members (arrows scroll, Enter: profile, Esc closes)")
                && x.lines().anyMatch(l -> l.contains("@bob") && l.contains("admin"))
                && x.lines().anyMatch(l -> l.contains("@carol") && l.contains("member"))
                && x.lines().anyMatch(l -> l.contains("@alice") && l.contains("owner")));
        assertTrue(list.lines().anyMatch(l -> l.contains("● ") && l.contains("@alice")), "alice is online:\n" + list);
        tmux.keys("Escape");
        tmux.awaitScreen("the list closed", x -> !x.contains("3 members (arrows"));
        command("/kick @carol");
        await("carol removed", () -> server("SELECT COUNT(*) FROM members WHERE chat_uuid = '" + team
                + "' AND user_uuid = '" + carol.uuid() + "'") == 0);
        command("/pin");
        await("the chat pinned", () -> server("SELECT COUNT(*) FROM chat_pins WHERE chat_uuid = '" + team + "' AND user_uuid = '"
                + f.alice.uuid() + "'") == 1);

        // Leaving asks; n keeps the chat; y as the owner with members left is the server's refusal, in its words.
        command("/leave");
        tmux.awaitText("Leave Crew?  [y/N]");
        tmux.type("n");
        command("/leave");
        tmux.awaitText("Leave Crew?  [y/N]");
        tmux.type("y");
        String s = tmux.awaitText("failed: the owner cannot leave");
        assertTrue(!s.contains("HTTP 409") && !s.contains("(CONFLICT)"), "the refusal in the server's words:\n" + s);
        assertEquals(3 - 1, server("SELECT COUNT(*) FROM members WHERE chat_uuid = '" + team + "'"), "alice and bob stay");

        // In bob's chat alice is a member: renaming it is refused with the server's sentence, nothing changes.
        command("/open Bobs");
        tmux.awaitScreen("Bobs open", x -> x.contains("# Bobs  group"));
        command("/rename Mine");
        s = tmux.awaitText("failed: your role in this chat does not let you");
        assertEquals(1, server("SELECT COUNT(*) FROM chats WHERE uuid = '" + bobs + "' AND name = 'Bobs'"), s);
        command("/kick @bob");
        tmux.awaitText("failed: your role in this chat does not let you remove members"); // not the rename's, still shown
        assertEquals(2, server("SELECT COUNT(*) FROM members WHERE chat_uuid = '" + bobs + "'"));

        // An unknown command keeps the draft as typed: Ctrl-A and a second slash send it as a message.
        command("/tmp/foo is full");
        s = tmux.awaitText("unknown command /tmp/foo, the draft is kept");
        assertTrue(s.lines().anyMatch(l -> l.contains("/tmp/foo is full") && !l.contains("unknown")), "the draft:\n" + s);
        tmux.bytes((byte) 0x01);
        tmux.type("/");
        tmux.keys("Enter");
        await("the kept draft sent", () -> server("SELECT COUNT(*) FROM messages WHERE chat_uuid = '" + bobs
                + "' AND content = '/tmp/foo is full'") == 1);
        // A pasted draft of several lines is a message, though its first line is a command: nothing quits.
        tmux.paste("/quit\nsecond line");
        tmux.keys("Enter");
        await("the pasted lines sent", () -> server("SELECT COUNT(*) FROM messages WHERE chat_uuid = '" + bobs
                + "' AND content = '/quit' || char(10) || 'second line'") == 1);
        assertTrue(!tmux.screen().contains("exit="), "the chat screen is still running:\n" + tmux.screen());
    }

    @Test
    void theOpenSubDeletedByAnotherAdminIsSaidAndTheForumsFirstSubOpens() throws Exception {
        String help = bob.createChat("FORUM", "Help", null, f.alice.uuid());
        bob.ok("PUT", "/chat/admin", java.util.Map.of("chatUUID", help, "userUUID", f.alice.uuid()));
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live"));
        command("/open Help");
        tmux.awaitScreen("Help open", x -> x.lines().findFirst().orElse("").contains("▸ Help  / general  forum"));
        command("/sub Topic");
        tmux.awaitScreen("the new sub open", x -> x.lines().findFirst().orElse("").contains("▸ Help  / Topic  forum")
                && x.contains("── message Help / Topic ──"));
        long topic = server("SELECT id FROM subs WHERE chat_uuid = '" + help + "' AND name = 'Topic'");
        bob.ok("DELETE", "/chat/sub/delete", java.util.Map.of("chatUUID", help, "id", topic));
        String s = tmux.awaitScreen("the forum's first sub, said", x -> x.lines().findFirst().orElse("")
                .contains("▸ Help  / general  forum") && x.contains("that sub was deleted; here is general"));
        assertTrue(s.contains("── message Help / general ──"), s);
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
    }

    @Test
    void anAdminStartsRenamesAndDeletesAForumsSubsFromTheComposer() throws Exception {
        String help = new E2e.As(f.api, f.alice).createChat("FORUM", "Help", null, bob.uuid());
        String subs = "SELECT COUNT(*) FROM subs WHERE chat_uuid = '" + help + "' AND deleted = 0";
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live"));
        command("/sub Release 2.4");
        tmux.awaitText("not a forum; only a forum has subs");
        command("/open Help");
        tmux.awaitScreen("Help open", x -> x.lines().findFirst().orElse("").contains("▸ Help  / general  forum")
                && x.contains("── message Help / general ──")); // the composer says which sub it writes to
        command("/sub delete");
        tmux.awaitText("is the forum's own first sub");

        command("/sub Release 2.4");
        await("the sub started", () -> server(subs + " AND name = 'Release 2.4'") == 1);
        tmux.awaitText("started Release 2.4 in Help");
        // The new sub opens at once, and the list shows it under its forum once the store hears of it.
        tmux.awaitScreen("the new sub open and listed, the last of the tree", x -> x.contains("└ Release 2.4")
                && x.contains("├ general")
                && x.lines().findFirst().orElse("").contains("▸ Help  / Release 2.4  forum"));
        tmux.type("first post");
        tmux.keys("Enter");
        await("the composer's message in the new sub", () -> server("SELECT COUNT(*) FROM messages m JOIN subs s"
                + " ON s.chat_uuid = m.chat_uuid AND s.id = m.sub_id WHERE m.chat_uuid = '" + help
                + "' AND s.name = 'Release 2.4' AND m.content = 'first post'") == 1);
        tmux.paste("/sub rename Release\t2.4.1"); // a tab would break every listing of one sub per line
        tmux.keys("Enter");
        tmux.awaitText("a name is one line: no tabs or control characters");
        command("/sub rename Release 2.4.1");
        await("the sub renamed", () -> server(subs + " AND name = 'Release 2.4.1'") == 1);
        tmux.awaitScreen("the new name in the list and the header", x -> x.contains("└ Release 2.4.1")
                && x.lines().findFirst().orElse("").contains("/ Release 2.4.1"));
        // /sub NAME of a sub the forum has opens it (any case); /sub new NAME of one is refused by the server.
        command("/sub general");
        tmux.awaitScreen("general open", x -> x.lines().findFirst().orElse("").contains("▸ Help  / general  forum"));
        command("/sub release 2.4.1");
        tmux.awaitScreen("the sub open again", x -> x.lines().findFirst().orElse("").contains("▸ Help  / Release 2.4.1  forum"));
        command("/sub new Release 2.4.1");
        tmux.awaitText("failed: this forum has a sub named 'Release 2.4.1' already");
        assertEquals(2, server(subs), "no second sub of that name: " + server(subs));
        // The status messages of the session, whole, newest first.
        command("/log");
        String log = tmux.awaitScreen("the log", x -> x.contains("Status messages, newest first")
                && x.contains("failed: this forum has a sub named 'Release 2.4.1' already"));
        assertTrue(log.indexOf("a sub named 'Release 2.4.1'") < log.indexOf("started Release 2.4 in Help"), log);
        tmux.keys("Escape");
        tmux.awaitScreen("the log closed", x -> !x.contains("Status messages, newest first"));
        // At 60 columns the refusal is cut on the bar, which says where it is whole.
        tmux.resize(60, 30);
        command("/sub new Release 2.4.1");
        tmux.awaitScreen("the cut refusal pointing at /log", x -> x.lines().anyMatch(l -> l.contains("failed: this forum")
                && l.contains("… (/log)")));
        tmux.resize(100, 30);
        command("/sub delete");
        tmux.awaitText("Delete Release 2.4.1 and all its messages, for everyone?  [y/N]");
        // In a narrow window the question wraps: the key that confirms stays on the screen (it was cut off).
        tmux.resize(30, 12);
        tmux.awaitScreen("the question whole at 30 columns", x -> x.contains("Delete Release 2.4.1")
                && x.contains("everyone?  [y/N]"));
        tmux.resize(100, 30);
        tmux.awaitText("Delete Release 2.4.1 and all its messages, for everyone?  [y/N]");
        tmux.type("y");
        await("the sub deleted", () -> server(subs) == 1);
        String gone = tmux.awaitScreen("the sub gone, the forum's first one open", x -> !x.contains("└ Release")
                && x.lines().findFirst().orElse("").contains("▸ Help  / general  forum"));
        assertTrue(gone.contains("└ general"), gone);
        assertEquals(1, server(subs + " AND id = 0"), "sub 0 stays");
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
    }
}
