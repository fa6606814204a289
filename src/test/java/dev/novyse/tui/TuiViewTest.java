package dev.novyse.tui;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.TerminalSize;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TUI against a real server on loopback, on Lanterna's virtual terminal: what a person sees after each key.
 */
class TuiViewTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    String team;
    String other;

    @BeforeEach
    void start() {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        team = group(alice, "Team", "team", bob);
        other = group(bob, "Other", "other", alice);
        send(bob, other, "psst @alice look here");
        send(bob, team, "good morning everyone");
        send(alice, team, "morning bob"); // Team is the latest chat: it opens first
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String group(RawApi.Account owner, String name, String handle, RawApi.Account... members) {
        List<String> uuids = java.util.Arrays.stream(members).map(RawApi.Account::uuid).toList();
        return api.ok(api.post("/chat/create", owner.token(), Map.of("type", "GROUP", "name", name, "handle", handle,
                "memberUUIDs", uuids))).path("chat").path("uuid").asText();
    }

    private JsonNode send(RawApi.Account from, String chat, String content) {
        return api.ok(api.post("/message", from.token(), Map.of("chatUUID", chat, "subID", 0, "content", content)));
    }

    private JsonNode history(RawApi.Account as, String chat) {
        return api.ok(api.send("GET", "/message/history?chatUUID=" + chat + "&subID=0&limit=100", as.token(), (String) null))
                .path("messages");
    }

    private VirtualTui tui(RawApi.Account who) {
        return tui(who, Map.of());
    }

    private VirtualTui tui(RawApi.Account who, Map<String, String> config) {
        return new VirtualTui(server.url(), who, dir.resolve(who.username() + ".db"), 100, 30, config);
    }

    @Test
    void opensOnAFreshStoreWithChatsUnreadCountsMentionsAndMessages() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("● live").awaitText("good morning everyone").awaitText("morning bob");
            // Every check on one screen that was awaited whole: a screen read once can be caught half way through
            // a refresh, or before the chat list's counts arrive after the messages.
            t.await("a mention and one unread on Other, sender names, a day separator, the status bar last",
                    s -> line(s, "Other").matches(".*@1 +1 │.*")
                            && s.contains("BOB")
                            && s.lines().anyMatch(l -> l.matches(".*─+ \\w{3} \\d{1,2} \\w{3} \\d{4} ─+.*"))
                            && s.lines().skip(29).findFirst().orElse("").contains("alice@test"));
        }
    }

    @Test
    void sendEditReactReplyDeleteRoundTripThroughTheServer() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("● live").awaitText("morning bob");
            t.keys("hello 你好 🎉 wide<Enter>").awaitText("hello 你好 🎉 wide");
            // On the server (the text on the screen may still be the composer's, before Enter's frame), then no
            // outbox row left on the screen.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (history(bob, team).size() < 3 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals("hello 你好 🎉 wide", history(bob, team).get(2).path("content").asText());
            t.await("delivered (no outbox row)", s -> !s.contains("sending…"));

            t.keys("<Up>e<C-u>hello edited<Enter>").awaitText("hello edited (edited)");
            assertEquals("hello edited", history(bob, team).get(2).path("content").asText());

            t.keys("<Up>+1").awaitText("👍 1");
            t.keys("<Up><Up>rsure thing<Enter>").awaitText("↪ BOB: good morning everyone");
            t.awaitText("sure thing");
            // The outbox row shows the quote and the text too: Up selects among delivered messages only.
            t.await("the reply delivered (no outbox row)", s -> !s.contains("sending…"));

            t.keys("<Up>dy").awaitText("(message deleted)");
            assertTrue(history(bob, team).get(3).path("deleted").asBoolean(), history(bob, team).toString());
        }
    }

    @Test
    void aFileIsAttachedFromTheComposerAndSavedFromTheMessage() throws Exception {
        byte[] bytes = new byte[200_000];
        new java.util.Random(7).nextBytes(bytes);
        Path plan = java.nio.file.Files.write(dir.resolve("plan.bin"), bytes);
        try (VirtualTui t = tui(alice)) {
            t.awaitText("● live").awaitText("morning bob");
            t.keys("the plan<M-a>").awaitText("Attach a file");
            t.keys(plan + "<Enter>").awaitText("▪ plan.bin");
            // The flash comes before the window's re-read: wait for the delivered row too (the outbox row is gone).
            t.await("delivered", s -> s.contains("sent plan.bin") && !s.contains("sending…") && s.contains("▪ plan.bin"));
            JsonNode sent = history(bob, team).get(2);
            assertEquals("the plan", sent.path("content").asText());
            assertEquals(bytes.length, sent.path("files").get(0).path("size").asLong(), sent.toString());

            Path target = dir.resolve("saved-plan.bin");
            t.keys("<Up>s").awaitText("Save plan.bin to");
            t.keys("<C-u>" + target + "<Enter>").awaitText("saved " + target);
            assertArrayEquals(bytes, java.nio.file.Files.readAllBytes(target), "the saved file is the sent file");

            // A folder that does not exist is made; a file where the folder should be is one short line.
            Path deeper = dir.resolve("new").resolve("folder").resolve("plan.bin");
            // The message stays selected after a save: 's' again.
            t.keys("s").awaitText("Save plan.bin to");
            t.keys("<C-u>" + deeper + "<Enter>").awaitText("saved " + deeper);
            assertArrayEquals(bytes, java.nio.file.Files.readAllBytes(deeper));
            t.keys("s").awaitText("Save plan.bin to");
            t.keys("<C-u>" + plan.resolve("x.bin") + "<Enter>").awaitText("failed: cannot save x.bin: a file is in the way");
            t.keys("<Esc>");
            t.keys("<M-a>" + dir.resolve("missing.bin") + "<Enter>").awaitText("cannot attach");
        }
    }

    @Test
    void aDirectMessageRingsTheBellAndRunsTheNotifyHookWithTitleAndBodyAsArguments() throws Exception {
        Path got = dir.resolve("notified.txt");
        Path hook = java.nio.file.Files.writeString(dir.resolve("hook.sh"),
                "#!/bin/sh\nprintf '%s|%s\\n' \"$1\" \"$2\" >> '" + got + "'\n");
        hook.toFile().setExecutable(true);
        String dm = api.ok(api.post("/chat/create", bob.token(), Map.of("type", "DM", "memberUUIDs", List.of(alice.uuid()))))
                .path("chat").path("uuid").asText();
        try (VirtualTui t = tui(alice, Map.of("notify", hook + " {title} {body}"))) {
            t.awaitText("● live").awaitText("morning bob");
            int before = t.bells.get();
            send(alice, team, "my own message rings nothing");
            send(bob, team, "a group message without a mention rings nothing");
            t.awaitText("without a mention");
            send(bob, dm, "psst; $(touch pwned) `id`");
            t.await("the bell", s -> t.bells.get() > before);
            long deadline = System.nanoTime() + 10_000_000_000L;
            // The shell creates the file (O_CREAT) before printf's single write fills it: wait for the line, not
            // for the file, or a read between the two sees an empty file (failed so in CI).
            while (!(java.nio.file.Files.exists(got) && java.nio.file.Files.size(got) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> lines = java.nio.file.Files.readAllLines(got);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).endsWith("|BOB: psst; $(touch pwned) `id`"), "the text reaches the hook verbatim: " + lines);
            assertEquals(before + 1, t.bells.get(), "one bell, for the DM only");
            assertFalse(java.nio.file.Files.exists(Path.of("pwned")), "no shell ran the message (the hook runs in this directory)");
        }
    }

    @Test
    void wideCharactersKeepTheColumnsAligned() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            t.keys("你好你好你好 🎉🎉 done<Enter>").awaitText("🎉🎉 done");
            // The text column starts at the same screen column on both lines (awaited: a refresh may be half done).
            t.await("the wide line aligned with the plain one", s -> {
                int plain = columnOf(line(s, "morning bob"), "│ morning");
                return plain >= 0 && plain == columnOf(line(s, "🎉🎉 done"), "│ 你好");
            });
        }
    }

    /** The screen column where {@code needle} starts in {@code line}, or -1 when it is not there (yet). */
    private static int columnOf(String line, String needle) {
        int idx = line.indexOf(needle);
        return idx < 0 ? -1 : TextWidth.columns(line.substring(0, idx));
    }

    /** The first line of {@code screen} with {@code text}, or "" when there is none (yet). */
    private static String line(String screen, String text) {
        return screen.lines().filter(l -> l.contains(text)).findFirst().orElse("");
    }

    @Test
    void aLiveMessageFromThePeerAppearsAndCountsAsUnreadElsewhere() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            send(bob, team, "live from bob");
            t.awaitText("live from bob");
            send(bob, other, "second in other");
            t.await("two unread in Other", s -> line(s, "Other").contains("2"));
        }
    }

    @Test
    void searchFindsOfflineAndJumpsToTheResult() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            t.keys("<C-f>psst").awaitText("Search all chats").awaitText("psst @alice look here");
            t.keys("<Enter>").awaitGone("Search all chats");
            t.await("the Other chat open with the hit shown", s -> s.lines().findFirst().orElse("").contains("Other")
                    && s.contains("psst @alice look here"));
        }
    }

    @Test
    void helpListsEveryActionAndClosesWithEscape() throws Exception {
        // Tall enough for the whole help, the chat-screen commands included (a shorter window scrolls it, below).
        try (VirtualTui t = new VirtualTui(server.url(), alice, dir.resolve("a.db"), 100, 64, Map.of())) {
            t.awaitText("morning bob");
            t.keys("<F1>").awaitText("Keys (Esc closes)");
            // Awaited, not read once: the virtual screen can be caught half way through a refresh.
            t.await("every action listed", s -> java.util.Arrays.stream(KeyMap.Action.values()).allMatch(a -> s.contains(a.description)));
            t.keys("<Esc>").awaitGone("Keys (Esc closes)");
        }
    }

    @Test
    void aHelpTallerThanTheWindowScrolls() throws Exception {
        try (VirtualTui t = new VirtualTui(server.url(), alice, dir.resolve("a.db"), 100, 24, Map.of())) {
            t.awaitText("morning bob");
            t.keys("<F1>").awaitText("scroll, Esc closes");
            assertFalse(t.screen().contains("/attach PATH"), "the end of the list is below the window at first");
            String lastRow = t.screen().lines().reduce((a, b) -> b).orElse("");
            assertFalse(lastRow.contains("└") || lastRow.contains("┘"), "the status bar stays below the box: " + lastRow);
            java.util.regex.Matcher first = java.util.regex.Pattern.compile(" 1–(\\d+) of ").matcher(
                    t.await("the position", s -> s.contains(" 1–")).screen());
            assertTrue(first.find());
            // A page down keeps the page's last line in view, as the first: a page, not ten lines.
            t.keys("<PageDown>").awaitText(" " + first.group(1) + "–");
            t.keys("<PageDown><PageDown><PageDown><PageDown>").awaitText("/attach PATH");
            t.await("the position shown", s -> s.matches("(?s).*\\d+–(\\d+) of \\1 .*"));
            t.keys("<Esc>").awaitGone("scroll, Esc closes");
        }
    }

    @Test
    void resizeRedrawsTheWholeLayout() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            t.terminal.setTerminalSize(new TerminalSize(50, 16));
            t.await("a narrow layout without the chat list", s -> t.lines().size() == 16
                    && t.lines().get(15).contains("alice@test") && !t.lines().get(0).startsWith(" Chats"));
            t.terminal.setTerminalSize(new TerminalSize(120, 40));
            t.await("the list back", s -> t.lines().size() == 40 && t.lines().get(0).startsWith(" Chats")
                    && t.lines().get(39).contains("alice@test"));
        }
    }

    @Test
    void configuredKeysReplaceTheDefaultsAndQuitExitsCleanly() throws Exception {
        VirtualTui t = tui(alice, Map.of("keys.quit", "C-x", "keys.search", "M-s"));
        try {
            t.awaitText("morning bob");
            t.keys("<M-s>").awaitText("Search all chats");
            t.keys("<Esc><C-x>");
            assertTrue(t.exited(), "C-x quits");
            assertEquals(0, t.exitCode);
            assertNull(t.crash());
        } finally {
            t.close();
        }
    }

    @Test
    void pinnedMessagesListAndJump() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            // A pin is seen by everyone: asked first.
            t.keys("<Up><Up>p").awaitText("Pin BOB's “good morning everyone” for everyone in the chat?");
            t.keys("y").awaitText("[pinned]");
            t.keys("<Esc><M-p>").await("the pinned message listed",
                    s -> s.contains("Pinned messages") && s.contains("good morning everyone"));
            t.keys("<Enter>").awaitGone("Pinned messages");
        }
    }

    @Test
    void chatListNavigationOpensTheSelectedChat() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            String top = t.lines().get(0);
            t.keys("<Tab>"); // composer → chat list
            t.keys("<Down><Enter>");
            String title = top.substring(top.indexOf('│') + 1).trim();
            t.await("the other chat open", s -> !s.lines().findFirst().orElse("").contains(title));
        }
    }

    @Test
    void searchHitsScrollWithCountDateAndChatAndAJumpShowsWhoWroteTheHit() throws Exception {
        for (int i = 1; i <= 30; i++) send(bob, team, "step " + i + " of the needle plan");
        try (VirtualTui t = tui(alice)) {
            t.awaitText("step 30 of the needle plan");
            t.keys("<C-f>needle").await("30 hits listed with their date, chat and sender",
                    s -> s.contains("Search all chats · 30 hits")
                            && s.lines().anyMatch(l -> l.matches(".*│ \\d{4}-\\d{2}-\\d{2} Team +BOB +step \\d+ of the needle plan.*")));
            // The dialog's own query on the same store gives the hits in the order listed (timestamps may tie).
            List<String> ordered = t.db.search(dev.novyse.store.FullTextQuery.ofWords("needle"), null, 100, () -> false).orElseThrow()
                    .stream().map(dev.novyse.store.MessageView::content).toList();
            assertEquals(30, ordered.size());
            String chosen = ordered.get(25);
            // A box of 16 at 30 rows, the first hits in it (awaited whole: a screen read once can be caught half
            // way through a refresh).
            t.await("the first 16 hits filling the box", s -> hitsShown(t).equals(ordered.subList(0, 16)));
            t.keys("<Down>".repeat(25));
            // The 26th hit is chosen: the list has scrolled so that it is the last row shown.
            t.await("the list scrolled to the chosen hit", s -> hitsShown(t).equals(ordered.subList(10, 26)));
            t.keys("<Enter>").awaitGone("Search all chats");
            // The hit continues bob's run of thirty messages: the run's time and name line is shown with it.
            t.await("the hit selected, with the line naming its sender and time", s -> s.contains("SELECTING a message")
                    && s.contains(chosen)
                    && s.lines().anyMatch(l -> l.matches(".*\\d\\d:\\d\\d +BOB │ step 1 of the needle plan.*")));
        }
    }

    /** The message texts in the search box, top first. */
    private static List<String> hitsShown(VirtualTui t) {
        List<String> hits = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("step \\d+ of the needle plan").matcher("");
        for (String l : t.lines()) {
            if (!l.matches(".*│ \\d{4}-\\d{2}-\\d{2} .*")) continue;
            m.reset(l);
            if (m.find()) hits.add(m.group());
        }
        return hits;
    }

    @Test
    void atSixtyColumnsUnreadCountsNeverTouchALongChatName() throws Exception {
        String longName = group(bob, "A very long chat name indeed", "longname", alice);
        for (int i = 1; i <= 11; i++) send(bob, longName, "news " + i);
        JsonNode mention = send(bob, longName, "and @alice too");
        // Team's message must be the newest for Team to open (and the long-named chat to keep its counts). Times are
        // milliseconds, and two sends in one tie: the list then orders by name, the long name first, which opened it
        // and read it in stressed runs of the suite. So Team's send waits for the server's clock (this JVM's) to pass
        // the mention's millisecond.
        long mentioned = java.time.Instant.parse(mention.path("created_at").asText()).toEpochMilli();
        while (System.currentTimeMillis() <= mentioned) Thread.onSpinWait();
        send(alice, team, "latest in team");
        try (dev.novyse.store.LocalDatabase db = dev.novyse.store.LocalDatabase.open(dir.resolve("a.db"))) {
            new dev.novyse.sync.SyncEngine(new dev.novyse.sync.ApiClient(java.net.URI.create(server.url()),
                    dev.novyse.sync.TokenProvider.fixed(alice.token())), db).sync();
        }
        try (VirtualTui t = new VirtualTui(server.url(), alice, dir.resolve("a.db"), 60, 20, Map.of())) {
            t.awaitText("latest in team");
            t.await("the long name cut short, a blank column, then its counts", s -> t.lines().stream()
                    .filter(l -> l.startsWith(" # A very"))
                    .anyMatch(l -> l.substring(0, l.indexOf('│')).matches(" # A very.*[^ ] @1 12 ")));
        }
    }

    @Test
    void selectingAMessageSaysItIsAModeUntilEscape() throws Exception {
        try (VirtualTui t = tui(alice)) {
            t.awaitText("morning bob");
            t.await("the composer's own label", s -> s.contains("message Team") && !s.contains("SELECTING"));
            t.keys("<Up>").awaitText("SELECTING a message");
            t.keys("<Esc>").awaitGone("SELECTING a message");
        }
    }
}
