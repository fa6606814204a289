package dev.novyse.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.ANSITerminal;
import dev.novyse.state.AppState;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws a made-up chat screen once on an ANSI terminal that writes nowhere, so that the classes of the first real frame
 * (the renderer, the layout of messages, grapheme and width rules, Lanterna's screen and its diffing) are loaded and
 * initialised before the screen is needed. A cold JVM spends much of the first frame loading them (70 ms of a
 * 300 ms first frame on the 1M-message store): plain {@code novyse} starts this on another thread before anything
 * else, the chat screen (if nobody did) while its state driver runs the chat list's query, and the demo on its spare
 * core while it seeds. It also loads the locale's date symbols, which the SQLite driver reads when the store opens
 * (its default date format) and the screen when it formats times (~40 ms on a cold JVM). Once per JVM.
 */
public final class Warmup {
    private static final java.util.concurrent.atomic.AtomicBoolean DONE = new java.util.concurrent.atomic.AtomicBoolean();

    private Warmup() {
    }

    /** Never fails: a warm-up that cannot run only leaves the first frame as slow as it was. */
    public static void run() {
        if (!DONE.compareAndSet(false, true)) return;
        try {
            java.text.DateFormatSymbols.getInstance(java.util.Locale.getDefault());
            Theme theme = Theme.choose(null, System.getenv("NO_COLOR"), System.getenv("TERM"));
            Renderer renderer = new Renderer(theme, KeyMap.from(Map.of()), ZoneId.systemDefault());
            UiModel model = new UiModel();
            String now = Instant.now().toString();
            ChatSummary chat = new ChatSummary("warmup", "GROUP", "Warm-up", "Warm-up", "warmup", null, "hello", now,
                    "Someone", false, 2, 0, 1);
            List<MessageView> messages = List.of(
                    new MessageView("warmup", 0, 1, "a", "Someone", "a line with ünïcode, 日本語 and 🎉", now, false,
                            false, List.of(new MessageView.ReactionCount("👍", 1, false)), null, List.of(), false, false),
                    new MessageView("warmup", 0, 2, "b", "Other", "a reply", now, true, false, List.of(),
                            new MessageView.ReplyRef("warmup", 0, 1), List.of(), false, true));
            model.state = AppState.empty().withAccount("you@warmup", "b").withChats(List.of(chat))
                    .withWindow(new AppState.ChatWindow(new AppState.OpenChat("warmup", 0), messages, true, false,
                            List.of(), List.of(), 0))
                    .withTyping(Map.of("warmup", Set.of("Someone")));
            model.composer.insert("draft 🎉");
            // The ANSI terminal the chat screen draws through, writing nowhere: its escape sequences and encoding
            // were the other cold part of the first frame on a real terminal (~50 ms, measured in tmux).
            Screen screen = new TerminalScreen(new ANSITerminal(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                    StandardCharsets.UTF_8) {
                @Override
                protected TerminalSize findTerminalSize() {
                    return new TerminalSize(120, 35); // instead of asking a terminal that is not there
                }
            });
            screen.startScreen();
            Canvas canvas = new Canvas(120, 35);
            screen.setCursorPosition(renderer.draw(canvas, model));
            canvas.flush(screen.newTextGraphics());
            screen.refresh(Screen.RefreshType.COMPLETE);
            screen.stopScreen();
        } catch (IOException | RuntimeException e) {
            // only a warm-up
        }
    }
}
