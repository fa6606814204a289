package dev.novyse.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.MouseAction;
import com.googlecode.lanterna.input.MouseActionType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ExtendedTerminal;
import com.googlecode.lanterna.terminal.MouseCaptureMode;
import com.googlecode.lanterna.terminal.Terminal;
import dev.novyse.account.AccountClient;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.state.Lookups;
import dev.novyse.state.StateDriver;
import dev.novyse.state.StateBus;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.ChatActions;
import dev.novyse.sync.LiveChannel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The full-screen client. One UI thread owns the screen and the {@link UiModel}; key presses (from an input
 * thread), new state snapshots (from the {@link StateBus}), resizes and finished background work all arrive
 * as events on one queue. Redraws are coalesced: however many events arrive, at most one frame per
 * {@link #FRAME_NANOS}, except that a frame answering a key press is drawn at once (a key must not wait behind a
 * frame that background state just caused); Lanterna sends only the cells that changed.
 */
public final class TuiApp {
    static final long FRAME_NANOS = 16_000_000L;
    /** How the config file says yes to an on/off setting (bell, mouse). */
    static final String ON = "(?i)on|true|yes|1";
    /** How often the screen looks at the account's credentials file (off the UI thread). */
    private static final long SIGN_IN_CHECK_NANOS = 2_000_000_000L;
    private static final Object STATE = new Object();
    private static final Object RESIZE = new Object();

    /**
     * What the TUI needs of a signed-in account: its client (offline when it has no server: no live channel, no
     * sending). {@code cacheDir}: the download cache shared with {@code novyse file get}. {@code liveOptions}: null for
     * the defaults. {@code frames}: told, after each frame, how long the oldest key press it answers waited
     * (nanoseconds); for the benchmark. {@code shown}: run once, on the UI thread, right after the first frame with
     * the store's state (the chat list and the open chat) is on the terminal; null for nothing.
     */
    public record Context(AccountClient client, String accountLabel, Map<String, String> config, Path cacheDir,
                          LiveChannel.Options liveOptions, LongConsumer frames, Runnable shown) {
        public Context(AccountClient client, String accountLabel, Map<String, String> config, Path cacheDir,
                       LiveChannel.Options liveOptions, LongConsumer frames) {
            this(client, accountLabel, config, cacheDir, liveOptions, frames, null);
        }
    }

    private final Context ctx;
    private final Terminal terminal;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final UiModel model = new UiModel();
    private final AtomicBoolean restored = new AtomicBoolean();
    private volatile boolean running = true;
    private Screen screen;
    private StateBus bus;
    private Lookups lookups;
    private KeyMap keys;
    private long pendingKeySince;
    private boolean shownReported;
    /** The live channel across sessions, started after the first frame (null offline). */
    private volatile LiveSession live;
    /** When the screen next looks at the account's credentials ({@link LiveSession#checkCredentials}; System.nanoTime). */
    private long nextSignInCheck;
    /** Run once the first frame is out: the state driver counts what that frame did not need. */
    private Runnable shownToDriver;
    private Canvas canvas;
    /** Prints the bare view; null until the loop starts. */
    private BareView bareView;
    /** The bare view is on the terminal: no frame is drawn until a key returns to the screen. */
    private boolean bare;
    /** Draw in ASCII only ({@link Ascii}). */
    private boolean ascii;

    private TuiApp(Context ctx, Terminal terminal) {
        this.ctx = ctx;
        this.terminal = terminal;
    }

    /** Why the TUI cannot start here (no terminal, a dumb one), or null when it can. */
    public static String unusableTerminal() {
        if (System.console() == null) {
            return "the chat screen needs a terminal; in scripts use 'novyse sync', 'send', 'export' or 'watch'";
        }
        String term = System.getenv("TERM");
        if (term == null || term.isBlank() || term.equals("dumb")) {
            return "TERM is " + (term == null || term.isBlank() ? "not set" : "'dumb'")
                    + ": the chat screen needs a terminal that understands ANSI escapes (e.g. TERM=xterm-256color)";
        }
        return null;
    }

    /** What is wrong with the TUI's settings in the config file (an unknown or malformed key binding), or null. */
    public static String configProblem(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String theme = c.get("theme");
        if (theme != null && !Theme.known(theme)) {
            return "theme must be default or mono, not '" + theme + "'";
        }
        for (String onOff : List.of("bell", "mouse")) {
            String v = c.get(onOff);
            if (v != null && !v.matches(ON + "|(?i)off|false|no|0")) {
                return onOff + " must be on or off, not '" + v + "'";
            }
        }
        for (String onOffAuto : List.of("hyperlinks", "ascii")) {
            String v = c.get(onOffAuto);
            if (v != null && !v.matches(ON + "|(?i)off|false|no|0|auto")) {
                return onOffAuto + " must be on, off or auto, not '" + v + "'";
            }
        }
        try {
            KeyMap.from(c);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Opens the screen on the process's terminal and runs until the user quits; returns an exit code. */
    public static int run(Context ctx) throws IOException {
        // Ctrl-C arrives as a key (quit, with the terminal restored) rather than killing the JVM mid-frame.
        Terminal terminal = new Utf8UnixTerminal(System.in, new TerminalOutput());
        // Now raw, the tty hands over every key typed while novyse started (a demo seeding, a store opening), even
        // an unfinished line: none of them was meant for this screen.
        for (int n; (n = System.in.available()) > 0; ) System.in.read(new byte[n]);
        return run(ctx, terminal);
    }

    /** Runs on a given terminal (a virtual one in tests). */
    public static int run(Context ctx, Terminal terminal) throws IOException {
        return new TuiApp(ctx, terminal).loop();
    }

    private int loop() throws IOException {
        Map<String, String> config = ctx.config() == null ? Map.of() : ctx.config();
        keys = KeyMap.from(config);
        Theme theme = Theme.choose(config.get("theme"), System.getenv("NO_COLOR"), System.getenv("TERM"));
        ascii = Ascii.wanted(config.get("ascii"), System.getenv());
        Renderer renderer = new Renderer(theme, keys, ZoneId.systemDefault(), ascii);
        bareView = new BareView(ZoneId.systemDefault(), BareView.hyperlinks(config.get("hyperlinks"), System.getenv()));
        AccountClient client = ctx.client();
        lookups = client.lookups();
        ChatActions actions = client.chatActions(ctx.cacheDir());
        bus = new StateBus();
        StateDriver driver = client.stateDriver(bus, actions == null ? null : actions::fetchOlder);
        driver.onError(msg -> queue.add((Runnable) () -> model.flash(msg, true)));
        shownToDriver = driver::shown;
        ExecutorService network = Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-network"));
        ExecutorService reads = Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-reads"));
        Controller controller = new Controller(model, keys, renderer, driver, actions, lookups, network, reads,
                r -> queue.add(r), chat -> {
                    if (live != null) live.typing(chat);
                }, terminal instanceof Utf8UnixTerminal t ? t::runProgram : null,
                terminal instanceof Utf8UnixTerminal u ? u::writeControl : null, config, ctx.cacheDir());
        model.mention = lookups.accountHandle().map(h -> "@" + h.toLowerCase(Locale.ROOT)).orElse(null);
        Notifier notifier = new Notifier(lookups, chat -> bus.current().muted(chat, java.time.Instant.now()), config.get("notify"), () -> queue.add((Runnable) this::bell),
                config.getOrDefault("bell", "on").matches(ON));

        screen = new TerminalScreen(terminal);
        Thread hook = new Thread(this::restore, "novyse-restore-terminal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            bus.subscribe(s -> queue.add(STATE));
            // The chat list's query is the longest step before the first frame: it runs on the driver's thread while
            // this one sets the terminal up (stty processes, the alternate screen), and the drawing code loads on a
            // third (a no-op when plain `novyse` started it already).
            if (client.online()) driver.accept(new ChannelEvent.StatusChanged(LiveChannel.Status.CONNECTING));
            driver.start(ctx.accountLabel(), () -> queue.add((Runnable) () -> model.loaded = true));
            DaemonThreads.start("novyse-warmup", Warmup::run);
            screen.startScreen();
            if (config.getOrDefault("mouse", "off").matches(ON) && terminal instanceof ExtendedTerminal et) {
                et.setMouseCaptureMode(MouseCaptureMode.CLICK_RELEASE);
            }
            terminal.addResizeListener((t, size) -> queue.add(RESIZE));
            // Off the first frame's path: the live channel is built (socket.io's classes, the HTTP client) and
            // started (its cursor query reads every sub's newest id and holds the store meanwhile; its catch-up
            // sync) on the network thread once the first frame with the chat list and the open chat is on the
            // terminal: on two cores, building it beside the first frame's queries and drawing delayed them.
            if (client.online()) {
                Consumer<ChannelEvent> deliverOutbox = client.outboxDelivery(network, sent -> {
                    driver.outboxChanged();
                    // A queued reaction the server refused is dropped, a message stays refused: said, never silent.
                    if (!sent.failed().isEmpty() || !sent.refused().isEmpty()) queue.add((Runnable) () -> model.flash(
                            UnsentMessages.said(sent, model), true));
                });
                live = new LiveSession(client, ctx.liveOptions(), network, driver, List.of(driver, notifier, deliverOutbox));
            }
            DaemonThreads.start("novyse-input", this::readInput);
            runLoop(renderer, controller);
            controller.quit();
            return 0;
        } finally {
            running = false;
            if (live != null) live.close();
            driver.close();
            network.shutdownNow();
            reads.shutdown(); // a draft being kept finishes; a long search gets a moment, then is stopped
            try {
                reads.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reads.shutdownNow();
            restore();
            waitingInOutbox();
            textWithNoChat();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
    }

    /**
     * Quitting with text in the composer and no chat to keep it as a draft (the last one gone), or with drafts in chats
     * the account is no longer in: printed under the shell's prompt rather than kept where nothing shows them.
     */
    private void textWithNoChat() {
        if (terminal instanceof com.googlecode.lanterna.terminal.virtual.VirtualTerminal) return;
        for (UiModel.StrandedDraft d : model.strandedDrafts.values()) {
            System.out.println("novyse: your draft in " + d.chatName() + ", a chat you are no longer in:");
            System.out.println(d.text());
        }
        System.out.flush();
        if (model.state.window().isOpen() || model.composer.isEmpty()) return;
        System.out.println("novyse: not sent, no chat was open to keep it as a draft:");
        System.out.println(model.composer.text());
        System.out.flush();
    }

    /** Quitting with messages not yet sent says so, on one line under the shell's prompt. */
    private void waitingInOutbox() {
        int waiting = model.state.outboxSize();
        if (waiting > 0 && !(terminal instanceof com.googlecode.lanterna.terminal.virtual.VirtualTerminal)) {
            boolean signedOut = model.state.connection() == dev.novyse.state.AppState.Connection.SIGNED_OUT;
            System.out.println("novyse: " + waiting + (waiting == 1 ? " message waits in the outbox; it is"
                    : " messages wait in the outbox; they are") + (signedOut
                    ? " sent once you sign in again (novyse login) and novyse connects"
                    : " sent the next time novyse connects (novyse, or novyse sync)"));
            System.out.flush();
        }
        int refused = model.state.refusedSize();
        if (refused > 0 && !(terminal instanceof com.googlecode.lanterna.terminal.virtual.VirtualTerminal)) {
            System.out.println("novyse: " + refused + (refused == 1 ? " message the server refused stays" : " messages the"
                    + " server refused stay") + " in the outbox: /retry or /drop in its chat, or novyse outbox");
            System.out.flush();
        }
    }

    private void readInput() {
        try {
            while (running) {
                KeyStroke k;
                if (terminal instanceof com.googlecode.lanterna.terminal.virtual.VirtualTerminal) {
                    // The virtual terminal's blocking read holds its monitor, which the screen needs to draw.
                    k = screen.pollInput();
                    if (k == null) {
                        Thread.sleep(2);
                        continue;
                    }
                } else {
                    k = screen.readInput();
                    if (k == null) continue;
                }
                if (k == InputPatterns.PASTE && terminal instanceof Utf8UnixTerminal t) k = new Paste(t.takePaste());
                queue.add(k);
                if (k.getKeyType() == com.googlecode.lanterna.input.KeyType.EOF) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) queue.add(new KeyStroke(com.googlecode.lanterna.input.KeyType.EOF));
        }
    }

    private void runLoop(Renderer renderer, Controller controller) throws IOException {
        long nextFrame = 0;
        nextSignInCheck = System.nanoTime() + SIGN_IN_CHECK_NANOS;
        boolean dirty = true;
        boolean complete = true;
        long flashShown = 0;
        while (!model.quit) {
            long now = System.nanoTime();
            long waitNanos = !dirty || !model.loaded ? TimeUnit.MILLISECONDS.toNanos(500) : pendingKeySince != 0 ? 0 : Math.max(0, nextFrame - now);
            Object ev;
            try {
                ev = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (ev != null) {
                complete |= handle(ev, controller);
                dirty = true;
                if (model.quit) return;
                ev = queue.poll();
            }
            controller.tick(System.nanoTime());
            if (live != null && System.nanoTime() - nextSignInCheck >= 0) {
                nextSignInCheck = System.nanoTime() + SIGN_IN_CHECK_NANOS;
                live.checkCredentials();
            }
            if (model.flash != null && model.flashUntil != flashShown && System.currentTimeMillis() >= model.flashUntil) {
                flashShown = model.flashUntil;
                dirty = true;
            }
            now = System.nanoTime();
            if (dirty && model.loaded && !bare && (now >= nextFrame || pendingKeySince != 0)) {
                render(renderer, complete || model.fullRedraw);
                // After the frame, not with each state: the view is where it shows the person (a chat entered at its
                // first unread message, newer messages loaded below the view), which is what was read.
                controller.markRead(false);
                complete = false;
                model.fullRedraw = false;
                dirty = false;
                nextFrame = System.nanoTime() + FRAME_NANOS;
            }
        }
    }

    /** Applies one event; true when the whole screen must be redrawn (a resize). */
    private boolean handle(Object ev, Controller controller) {
        if (ev instanceof KeyStroke k) {
            if (pendingKeySince == 0) pendingKeySince = System.nanoTime();
            if (bare) { // any key (or click) leaves the bare view, and does nothing else
                bare = false;
                return true;
            }
            if (k instanceof MouseAction mouse) {
                mouse(mouse, controller);
            } else if (keys.is(k, KeyMap.Action.BARE_VIEW) && model.overlay == null) {
                showBare();
            } else if (keys.is(k, KeyMap.Action.SUSPEND) && terminal instanceof Utf8UnixTerminal t) {
                suspend(t);
                return true;
            } else {
                controller.key(k);
            }
            return false;
        }
        if (ev == STATE) {
            controller.newState(bus.current());
            if (model.mention == null && !model.state.myUUID().isEmpty()) {
                // Known once the first sync stored the account's profile: a key lookup, once.
                model.mention = lookups.accountHandle().map(h -> "@" + h.toLowerCase(Locale.ROOT)).orElse("");
            }
            if (bare) { // a new message shows in the bare view as it comes, and is read there
                controller.markRead(false);
                showBare();
            }
            return false;
        }
        if (ev == RESIZE) {
            if (bare) showBare();
            return true;
        }
        if (ev instanceof Runnable r) r.run();
        return false;
    }

    /** M-v: the open chat printed as plain text, wrapped by the terminal ({@link BareView}), until a key. */
    private void showBare() {
        if (!(terminal instanceof Utf8UnixTerminal t)) {
            model.flash("the bare view needs a real terminal", true);
            return;
        }
        if (!model.state.window().isOpen()) {
            model.flash("no chat open", false);
            return;
        }
        try {
            screen.doResizeIfNecessary();
            TerminalSize size = screen.getTerminalSize();
            t.writeControl(bareView.frame(bareView.lines(model.state.window()), size.getColumns(), size.getRows()));
            bare = true;
        } catch (IOException e) {
            model.flash("cannot show the bare view: the terminal cannot be written to", true);
        }
    }

    /** C-z: back to the shell with the terminal as it was; after 'fg', everything drawn again. */
    private void suspend(Utf8UnixTerminal t) {
        if (!JobControl.canStop()) {
            model.flash("no job control here: nothing could bring novyse back after C-z (C-q quits)", true);
            return;
        }
        try {
            t.suspend();
        } catch (IOException e) {
            model.flash("cannot suspend: " + e.getMessage(), true);
        }
    }

    private void mouse(MouseAction a, Controller controller) {
        if (a.getActionType() == MouseActionType.SCROLL_UP) controller.scrollBy(3);
        else if (a.getActionType() == MouseActionType.SCROLL_DOWN) controller.scrollBy(-3);
        else if (a.getActionType() == MouseActionType.CLICK_DOWN) controller.click(a.getPosition().getColumn(), a.getPosition().getRow());
    }

    private void render(Renderer renderer, boolean complete) throws IOException {
        TerminalSize resized = screen.doResizeIfNecessary();
        TerminalSize size = screen.getTerminalSize();
        if (canvas == null || complete || resized != null || canvas.cols != size.getColumns() || canvas.rows != size.getRows()) {
            canvas = new Canvas(size.getColumns(), size.getRows(), ascii); // a fresh one rewrites every cell
        }
        TerminalPosition cursor = renderer.draw(canvas, model);
        canvas.flush(screen.newTextGraphics());
        screen.setCursorPosition(cursor);
        screen.refresh(complete || resized != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        if (pendingKeySince != 0 && ctx.frames() != null) ctx.frames().accept(System.nanoTime() - pendingKeySince);
        pendingKeySince = 0;
        if (!shownReported) {
            shownReported = true; // frames are drawn only once the store's state is loaded
            if (shownToDriver != null) shownToDriver.run();
            if (live != null) live.start();
            if (ctx.shown() != null) ctx.shown().run();
        }
    }

    private void bell() {
        try {
            terminal.bell();
            terminal.flush();
        } catch (IOException ignored) {
            // a bell that cannot ring is not worth stopping for
        }
    }

    /** Leaves the alternate screen and gives the terminal its settings back; safe to call from any thread, once. */
    private void restore() {
        if (!restored.compareAndSet(false, true)) return;
        try {
            if (screen != null) screen.stopScreen();
            terminal.flush();
        } catch (IOException | RuntimeException ignored) {
            // keep going: the terminal settings matter more
        }
        try {
            terminal.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing more can be done for a terminal that is gone
        }
    }
}
