package dev.novyse.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.novyse.account.AccountClient;
import dev.novyse.server.RawApi;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real TUI on Lanterna's virtual terminal, for one account of a real server, driven by a small keystroke
 * language: plain text is typed as is; {@code <Enter> <Tab> <Esc> <Up> <Down> <PageUp> <F1> <C-f> <M-Enter>}…
 * are keys. Assertions read the screen's characters back.
 */
final class VirtualTui implements AutoCloseable {
    final DefaultVirtualTerminal terminal;
    final LocalDatabase db;
    private final Thread thread;
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    volatile Integer exitCode;
    final List<Long> frameNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Bells the TUI rang (BEL, which tmux shows as an alert on the window). */
    final java.util.concurrent.atomic.AtomicInteger bells = new java.util.concurrent.atomic.AtomicInteger();

    VirtualTui(String serverUrl, RawApi.Account account, Path storeFile, int cols, int rows, Map<String, String> config) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
        db = LocalDatabase.open(storeFile);
        terminal.addVirtualTerminalListener(new com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener() {
            @Override
            public void onFlush() {
            }

            @Override
            public void onBell() {
                bells.incrementAndGet();
            }

            @Override
            public void onClose() {
            }

            @Override
            public void onResized(com.googlecode.lanterna.terminal.Terminal t, TerminalSize size) {
            }
        });
        TokenProvider tokens = new TokenProvider() {
            @Override
            public String current() {
                return account.token();
            }

            @Override
            public String refresh() {
                return account.token();
            }
        };
        URI server = serverUrl == null ? null : URI.create(serverUrl);
        AccountClient client = server == null ? new AccountClient(db, null, null, null)
                : new AccountClient(db, new ApiClient(server, tokens), tokens, server);
        TuiApp.Context ctx = new TuiApp.Context(client, account.username() + "@test", config, storeFile.resolveSibling("cache"),
                LiveChannel.Options.defaults().withReconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)),
                frameNanos::add);
        thread = new Thread(() -> {
            try {
                exitCode = TuiApp.run(ctx, terminal);
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "tui-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    /** Types a keystroke script, e.g. {@code "hello<Enter>"} or {@code "<C-f>needle"}. */
    VirtualTui keys(String script) {
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            int close = c == '<' ? script.indexOf('>', i) : -1;
            if (close > i + 1) {
                terminal.addInput(key(script.substring(i + 1, close)));
                i = close + 1;
            } else {
                int cp = script.codePointAt(i);
                String s = new String(Character.toChars(cp));
                for (char ch : s.toCharArray()) terminal.addInput(new KeyStroke(ch, false, false));
                i += Character.charCount(cp);
            }
        }
        return this;
    }

    private static KeyStroke key(String name) {
        boolean ctrl = false, alt = false;
        String n = name;
        while (n.length() > 2 && (n.startsWith("C-") || n.startsWith("M-"))) {
            if (n.startsWith("C-")) ctrl = true;
            else alt = true;
            n = n.substring(2);
        }
        if (n.length() == 1) return new KeyStroke(n.charAt(0), ctrl, alt);
        KeyType t = switch (n) {
            case "Up" -> KeyType.ArrowUp;
            case "Down" -> KeyType.ArrowDown;
            case "Left" -> KeyType.ArrowLeft;
            case "Right" -> KeyType.ArrowRight;
            case "Esc" -> KeyType.Escape;
            default -> KeyType.valueOf(n);
        };
        return new KeyStroke(t, ctrl, alt);
    }

    /** The screen as text lines (wide characters once, their second cell skipped). */
    List<String> lines() {
        TerminalSize size = terminal.getTerminalSize();
        List<String> out = new ArrayList<>();
        for (int r = 0; r < size.getRows(); r++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < size.getColumns(); c++) {
                var ch = terminal.getCharacter(c, r);
                b.append(ch.getCharacterString());
                if (ch.isDoubleWidth()) c++;
            }
            out.add(b.toString());
        }
        return out;
    }

    String screen() {
        return String.join("\n", lines());
    }

    /** Waits until the screen satisfies {@code test}; fails with the screen when it does not within 15 s. */
    VirtualTui await(String what, Predicate<String> test) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (crash.get() != null) fail("the TUI crashed", crash.get());
            if (test.test(screen())) return this;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("screen never showed " + what + ":\n" + screen());
        return this;
    }

    VirtualTui awaitText(String text) {
        return await("'" + text + "'", s -> s.contains(text));
    }

    VirtualTui awaitGone(String text) {
        return await("no '" + text + "'", s -> !s.contains(text));
    }

    /** The line holding {@code text}, or fails. */
    String lineWith(String text) {
        for (String l : lines()) if (l.contains(text)) return l;
        fail("no line with '" + text + "':\n" + screen());
        return null;
    }

    boolean exited() throws InterruptedException {
        thread.join(10_000);
        return !thread.isAlive();
    }

    Throwable crash() {
        return crash.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            terminal.addInput(new KeyStroke('q', true, false));
            thread.join(10_000);
        }
        db.close();
    }
}
