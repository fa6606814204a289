package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the open chat is laid out as lines: the marker at the top (older messages to load, or the start of the
 * conversation), runs of one sender sharing one time-and-name line, and a file without a caption drawing no empty
 * text line.
 */
class MessageLinesTest {
    private static final int WIDTH = 80;
    private final MessageLines layout = new MessageLines(Theme.mono(), ZoneOffset.UTC);

    private static MessageView message(long id, String sender, String content, String at, MessageView.FileView... files) {
        return new MessageView("c", 0, id, sender, sender.toUpperCase(), content, at, false, false, List.of(), null,
                List.of(files), false, false);
    }

    private static AppState.ChatWindow window(boolean hasOlder, MessageView... messages) {
        return new AppState.ChatWindow(new AppState.OpenChat("c", 0), List.of(messages), true, hasOlder, List.of(),
                List.of(), -1);
    }

    private List<MessageLines.Line> lines(AppState.ChatWindow w) {
        return layout.build(w, "me", null, WIDTH);
    }

    private static String text(MessageLines.Line l) {
        return l.segs().stream().map(MessageLines.Seg::text).collect(Collectors.joining());
    }

    @Test
    void aMessageOnOneRowHasItsLinesAndRunsOfBlanksAsSingleSpaces() {
        assertEquals("see the list: one two", MessageLines.oneLine("  see the list:\n\n  one\ttwo \r\n"));
        assertEquals("", MessageLines.oneLine(null));
    }

    @Test
    void aRefusedMessageSaysWhyAndWhatCanBeDoneAboutIt() {
        dev.novyse.store.PendingMessage refused = new dev.novyse.store.PendingMessage(1, "t1", "c", 0, "my words", null,
                "2026-03-01T10:00:00Z", 1, "only the channel's admins post here " + "and more ".repeat(10),
                dev.novyse.store.OutboxState.FAILED, null, List.of());
        AppState.ChatWindow w = new AppState.ChatWindow(new AppState.OpenChat("c", 0), List.of(), true, false,
                List.of(refused), List.of(), -1);
        String said = text(layout.build(w, "me", null, WIDTH).get(1)).strip();
        assertTrue(said.startsWith("not sent: only the channel's admins"), said);
        assertTrue(said.endsWith("… · /retry or /drop"), "the reason is cut, not the way out: " + said);
        assertTrue(TextWidth.columns(said) <= WIDTH, said);
    }

    @Test
    void aQueuedMessageShowsTheMessageItAnswersAndItsFilesAsItWillOnceSent() {
        MessageView asked = message(4, "ann", "lunch\nat noon?", "2026-03-01T10:00:00Z");
        dev.novyse.store.PendingMessage reply = new dev.novyse.store.PendingMessage(1, "t1", "c", 0, "yes",
                new dev.novyse.protocol.ReplyTo("c", 0, 4L, null, null), "2026-03-01T10:01:00Z", 0, null,
                dev.novyse.store.OutboxState.PENDING, null, List.of());
        dev.novyse.store.PendingMessage file = new dev.novyse.store.PendingMessage(2, "t2", "c", 0, "",
                new dev.novyse.protocol.ReplyTo("c", 0, 1L, null, null), "2026-03-01T10:02:00Z", 0, null,
                dev.novyse.store.OutboxState.PENDING, null, List.of(new dev.novyse.store.PendingMessage.PendingFile(1,
                java.nio.file.Path.of("/tmp/menu.pdf"), "menu.pdf", "application/pdf", 3072, 0,
                dev.novyse.store.OutboxState.PENDING)));
        List<String> out = layout.build(new AppState.ChatWindow(new AppState.OpenChat("c", 0), List.of(asked), true,
                false, List.of(reply, file), List.of(), -1), "me", null, WIDTH).stream().map(MessageLinesTest::text).toList();
        int at = out.indexOf(out.stream().filter(l -> l.contains("↪ ANN: lunch at noon?")).findFirst().orElse(null));
        assertTrue(at > 0 && out.get(at).matches("--:-- +you │ ↪ ANN: lunch at noon\\?"), "the quote is the queued reply's first row: " + out);
        assertTrue(out.get(at + 1).endsWith("│ yes"), String.join("\n", out));
        assertTrue(out.get(at + 2).strip().equals("sending…"), String.join("\n", out));
        // A reply to a message the window does not hold, with a file and no caption: no blank text row.
        assertTrue(out.get(at + 3).endsWith("│ ↪ reply to an earlier message"), String.join("\n", out));
        assertTrue(out.get(at + 4).endsWith("│ ▪ menu.pdf · 3.0 KiB"), String.join("\n", out));
        assertTrue(out.get(at + 5).strip().equals("sending…"), String.join("\n", out));
    }

    @Test
    void theNewMessagesRuleAndReadMarksLeaveOutWhatOnesOwnMessageSays() {
        List<MessageView> talk = List.of(message(1, "me", "mine", "2026-03-01T10:00:00Z"),
                message(2, "ann", "a question", "2026-03-01T10:01:00Z"),
                message(3, "me", "my answer", "2026-03-01T10:02:00Z"),
                message(4, "ann", "thanks", "2026-03-01T10:03:00Z"));
        List<dev.novyse.store.ReadMarker> reads = List.of(new dev.novyse.store.ReadMarker("ann", "Ann", 4),
                new dev.novyse.store.ReadMarker("bo", "Bo", 3));
        // Read up to 1 as the server has it, but 2 was answered by 3: the rule goes above 4, the first after that.
        List<MessageLines.Line> out = layout.build(new AppState.ChatWindow(new AppState.OpenChat("c", 0), talk, true,
                false, List.of(), reads, 1), "me", null, WIDTH);
        List<String> rows = out.stream().map(MessageLinesTest::text).map(String::strip).toList();
        int rule = rows.indexOf(rows.stream().filter(r -> r.contains(" new messages ")).findFirst().orElseThrow());
        assertTrue(rows.get(rule + 1).contains("thanks"), String.join("\n", rows));
        // Ann's mark sits on her own "thanks", which says nothing: it is drawn under my answer, which she read.
        assertEquals(List.of("✓ read by Ann, Bo"), rows.stream().filter(r -> r.startsWith("✓")).toList(),
                String.join("\n", rows));
        assertTrue(rows.get(rows.indexOf("✓ read by Ann, Bo") - 1).endsWith("my answer"), String.join("\n", rows));
    }

    @Test
    void theTopSaysWhetherOlderMessagesCanBeLoadedOrThisIsTheStart() {
        MessageView one = message(1, "ann", "first words", "2026-03-01T10:00:00Z");
        assertTrue(text(lines(window(false, one)).get(0)).contains("the start of this conversation"));
        assertTrue(text(lines(window(true, one)).get(0)).contains("older messages: PageUp"));
        assertTrue(lines(window(false)).isEmpty(), "an empty chat has no start marker over nothing");
    }

    @Test
    void aRunOfOneSenderSharesOneNameUntilAnotherSenderOrAPauseAndEachMessageShowsItsTime() {
        List<MessageLines.Line> out = lines(window(false,
                message(1, "ann", "one", "2026-03-01T10:00:00Z"),
                message(2, "ann", "two\nlines", "2026-03-01T10:01:00Z"),
                message(3, "bo", "three", "2026-03-01T10:02:00Z"),
                message(4, "bo", "four", "2026-03-01T10:08:00Z")));
        List<Long> opening = new ArrayList<>();
        for (MessageLines.Line l : out) if (l.opensGroup()) opening.add(l.messageId());
        assertEquals(List.of(1L, 3L, 4L), opening, "a new sender or six minutes apart opens a group");
        // The run's next message starts with its time, no name; a line of the same message has a blank gutter.
        List<String> two = out.stream().filter(l -> l.messageId() == 2).map(MessageLinesTest::text).toList();
        assertTrue(two.get(0).matches("10:01 +│ two"), two.get(0));
        assertTrue(two.get(1).matches(" +│ lines"), two.get(1));
        MessageLines.Line four = out.stream().filter(l -> l.messageId() == 4).findFirst().orElseThrow();
        assertTrue(text(four).matches("10:08 +BO │ four"), text(four));
    }

    @Test
    void aFileWithoutACaptionDrawsItsFileLineAndNoEmptyTextLine() {
        List<MessageLines.Line> out = lines(window(false, message(7, "ann", "", "2026-03-01T10:00:00Z",
                new MessageView.FileView("f1", "photo.jpg", 2048L, "image/jpeg"))));
        List<String> own = out.stream().filter(l -> l.messageId() == 7).map(MessageLinesTest::text).toList();
        assertEquals(1, own.size(), String.join("\n", own));
        assertTrue(own.get(0).matches("10:00 +ANN │ ▪ photo\\.jpg · 2\\.0 KiB"), own.get(0));

        List<MessageLines.Line> captioned = lines(window(false, message(8, "ann", "look", "2026-03-01T10:00:00Z",
                new MessageView.FileView("f2", "photo.jpg", 2048L, "image/jpeg"))));
        assertEquals(2, captioned.stream().filter(l -> l.messageId() == 8).count(), "a caption keeps its own line");
    }

    @Test
    void reactionsTakeAsManyRowsAsTheyNeedAndNoneIsCutOff() {
        List<MessageView.ReactionCount> many = new ArrayList<>();
        String[] emoji = {"👍", "👎", "😂", "🎉", "❤️", "🚀", "👀", "🙏", "🔥", "✅", "💯", "😮", "🤔"};
        for (int i = 0; i < emoji.length; i++) many.add(new MessageView.ReactionCount(emoji[i], i + 1, i == 0));
        MessageView m = new MessageView("c", 0, 1, "ann", "ANN", "a popular one", "2026-03-01T10:00:00Z", false, false,
                many, null, List.of(), false, false);
        List<MessageLines.Line> out = lines(window(false, m));
        String all = out.stream().map(MessageLinesTest::text).collect(Collectors.joining("\n"));
        for (int i = 0; i < emoji.length; i++) {
            assertTrue(all.contains(emoji[i] + " " + (i + 1)), emoji[i] + " " + (i + 1) + " shown:\n" + all);
        }
        List<MessageLines.Line> rows = out.stream().filter(l -> text(l).contains("👍 1") || text(l).contains("😮 12")).toList();
        assertEquals(2, rows.size(), "more than one row at " + WIDTH + " columns:\n" + all);
        for (MessageLines.Line l : out) {
            assertTrue(TextWidth.columns(text(l)) <= WIDTH, "within the width: " + text(l));
        }
    }
}
