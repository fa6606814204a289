package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.state.Lookups;
import dev.novyse.state.StateDriver;
import dev.novyse.sync.ChatActions;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Turns key presses and mouse events into changes of the {@link UiModel} and into work for the background: store
 * reads through the {@link StateDriver} and {@link StoreReads}, server calls through {@link ServerCalls}. Here a
 * key goes to the open dialog, to the keys that work anywhere, or to the focused pane; the classes it builds do
 * the rest. Everything runs on the UI thread and never waits: what may block is handed to {@code network} or
 * {@code reads}, and its outcome comes back through {@code ui}.
 */
final class Controller {
    private final UiModel m;
    private final KeyMap keys;
    private final Navigator nav;
    private final MessageActions messages;
    private final ComposerKeys composer;
    private final ComposerCompletion completion;
    private final Dialogs dialogs;
    private final SearchDialog search;
    private final ChatSwitcher switcher;
    private final ExternalEditor editor;
    private final FileTransfers files;
    private final ReadReporter readReporter;
    private final ChatRights rights;
    private final ChatAdminCommands admin;
    /** The first key of a chord, typed and waiting for the second ({@code C-x} of {@code C-x C-e}); null if none. */
    private String chordStart;

    /**
     * {@code tty}: lends the terminal to the person's editor, {@code clipboard}: writes OSC 52 to it; both null without
     * a real one. {@code settings}: the config file's entries (the {@code open} command, the {@code download-dir});
     * {@code cacheDir}: where an attachment opened is fetched to.
     */
    Controller(UiModel model, KeyMap keys, Renderer renderer, StateDriver driver, ChatActions actions, Lookups lookups,
               Executor network, Executor reads, Consumer<Runnable> ui, Consumer<String> typing, ExternalEditor.Tty tty,
               Clipboard.Terminal clipboard, java.util.Map<String, String> settings, java.nio.file.Path cacheDir) {
        this.m = model;
        this.keys = keys;
        StoreReads storeReads = new StoreReads(lookups, reads, ui);
        ServerCalls calls = new ServerCalls(model, actions, driver, network, ui);
        this.nav = new Navigator(model, keys, driver, renderer, storeReads);
        this.files = new FileTransfers(model, calls, settings.get("download-dir"));
        Links links = new Links(model, settings.get("open"), ui);
        this.messages = new MessageActions(model, keys, nav, calls, files, new Clipboard(model, clipboard), links,
                new FileOpener(model, calls, files, links, tty, cacheDir, System.getenv()));
        this.search = new SearchDialog(model, storeReads, nav);
        this.switcher = new ChatSwitcher(model, storeReads, nav);
        this.editor = new ExternalEditor(model, tty, System.getenv());
        this.completion = new ComposerCompletion(model, keys, storeReads);
        this.dialogs = new Dialogs(model, keys, storeReads, nav, search, switcher, messages, completion,
                new ProfileDialog(model, calls, storeReads));
        this.readReporter = new ReadReporter(model, calls, storeReads);
        this.rights = new ChatRights(model, storeReads);
        this.admin = new ChatAdminCommands(model, calls, lookups, storeReads, nav::openCreatedSub);
        SlashCommands commands = new SlashCommands(model, nav, dialogs, search, switcher, editor, files, readReporter, calls,
                admin, new UnsentMessages(model, calls));
        this.composer = new ComposerKeys(model, keys, nav, calls, commands, typing);
    }

    void key(KeyStroke k) {
        if (k.getKeyType() == KeyType.EOF) {
            m.quit = true;
            return;
        }
        // The raw terminal delivers Ctrl-C as a key, not a signal: it quits whatever the bindings say.
        if (keys.is(k, KeyMap.Action.QUIT) || (k.isCtrlDown() && k.getKeyType() == KeyType.Character && k.getCharacter() == 'c')) {
            m.quit = true;
            return;
        }
        if (k instanceof Paste p) {
            paste(p.text);
            return;
        }
        if (m.overlay != null) {
            dialogs.key(k);
            return;
        }
        if (chordStart != null) {
            String chord = chordStart + " " + KeyMap.spec(k);
            chordStart = null;
            m.flashUntil = 0;
            if (k.getKeyType() == KeyType.Escape) return; // the chord given up
            if (!global(chord)) m.flash(chord + " is not bound to anything (F1 lists the keys)", false);
            return;
        }
        if (keys.startsChord(k)) {
            chordStart = KeyMap.spec(k);
            m.flash(chordStart + " …", false);
            return;
        }
        // Tab completes in the composer before it moves the focus; any other key there ends a completion.
        if (m.focus == UiModel.Focus.COMPOSER && completion.key(k)) return;
        if (global(KeyMap.spec(k))) return;
        switch (m.focus) {
            case CHATS -> {
                if (keys.is(k, KeyMap.Action.PIN_CHAT)) nav.selectedChat().ifPresent(admin::togglePin);
                else if (keys.is(k, KeyMap.Action.MUTE_CHAT)) nav.selectedChat().ifPresent(admin::toggleMute);
                else nav.chatsKey(k);
            }
            case MESSAGES -> messages.key(k);
            case COMPOSER -> composer.key(k);
        }
    }

    /**
     * A paste goes into the composer as it is, newlines included, and waits there for Enter. Into a dialog's one
     * line (search, a prompt) it is typed with its newlines as spaces.
     */
    private void paste(String text) {
        if (m.overlay != null) {
            text.replace('\n', ' ').chars().forEach(c -> dialogs.key(new KeyStroke((char) c, false, false)));
            return;
        }
        m.focus = UiModel.Focus.COMPOSER;
        m.composer.insert(text);
    }

    /** The keys that work in every pane; true when {@code k} (a key's or a chord's spec) was one. */
    private boolean global(String k) {
        if (is(k, KeyMap.Action.HELP)) dialogs.openHelp();
        else if (is(k, KeyMap.Action.SWITCH_CHAT)) switcher.open("", false);
        else if (is(k, KeyMap.Action.EXTERNAL_EDITOR)) editor.edit();
        else if (is(k, KeyMap.Action.ATTACH)) files.promptAttach();
        else if (is(k, KeyMap.Action.FOCUS_NEXT)) nav.cycleFocus(1);
        else if (is(k, KeyMap.Action.FOCUS_PREV)) nav.cycleFocus(-1);
        else if (is(k, KeyMap.Action.NEXT_CHAT)) nav.moveChat(1, true);
        else if (is(k, KeyMap.Action.PREV_CHAT)) nav.moveChat(-1, true);
        else if (is(k, KeyMap.Action.NEXT_UNREAD)) nav.nextUnread();
        else if (is(k, KeyMap.Action.SEARCH)) search.open("");
        else if (is(k, KeyMap.Action.PINS)) dialogs.openPins();
        else if (is(k, KeyMap.Action.FAVORITES)) dialogs.openFavorites();
        else if (is(k, KeyMap.Action.MARK_READ)) readReporter.markRead(true);
        else if (is(k, KeyMap.Action.SCROLL_UP)) nav.scrollPage(1);
        else if (is(k, KeyMap.Action.SCROLL_DOWN)) nav.scrollPage(-1);
        else if (is(k, KeyMap.Action.LATEST)) nav.latest();
        else if (is(k, KeyMap.Action.TOGGLE_LIST)) m.showList = !m.showList;
        else if (is(k, KeyMap.Action.REDRAW)) m.fullRedraw = true;
        else return false;
        return true;
    }

    private boolean is(String spec, KeyMap.Action a) {
        return keys.is(spec, a);
    }

    /** Mouse wheel: lines up (positive) or down. */
    void scrollBy(int lines) {
        nav.scroll(lines);
    }

    /** A mouse click: on a chat list row opens that chat; elsewhere moves focus there. Ignored under a dialog. */
    void click(int col, int row) {
        if (m.overlay != null) return;
        nav.click(col, row);
    }

    /** A new state from the store: the list's cursor stays on its chat; the open chat's draft comes back at start. */
    void newState(dev.novyse.state.AppState state) {
        nav.newState(state);
        rights.update();
    }

    /** Quitting: the open chat's draft is kept. */
    void quit() {
        nav.quit();
    }

    /** The screen's loop, after each batch of events and at least twice a second: a changed draft is kept. */
    void tick(long now) {
        nav.keepDraft(now);
    }

    /** See {@link ReadReporter#markRead}; the app calls it after every frame. */
    void markRead(boolean force) {
        readReporter.markRead(force);
    }
}
