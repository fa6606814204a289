package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.state.AppState;
import dev.novyse.state.StateDriver;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutgoingFile;
import dev.novyse.sync.ChatActions;
import dev.novyse.sync.FileFetcher;
import dev.novyse.sync.OutboxSender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Turns key presses into changes of the {@link UiModel} and into work for the background: store reads through
 * the {@link StateDriver}, server calls through {@link ChatActions}. Runs on the UI thread and never waits:
 * whatever may block is handed to {@code background}, and its outcome comes back through {@code ui}.
 */
final class Controller {
    private final UiModel m;
    private final KeyMap keys;
    private final StateDriver driver;
    private final ChatActions actions;
    private final LocalDatabase db;
    private final Executor network;
    private final Executor reads;
    private final Consumer<Runnable> ui;
    private final Consumer<String> typing;
    private final Renderer renderer;
    private long lastTypingSignal;
    /** The latest search asked for; written on the UI thread, read by the search running on the reads thread. */
    private volatile long searchGeneration;

    Controller(UiModel model, KeyMap keys, Renderer renderer, StateDriver driver, ChatActions actions, LocalDatabase db,
               Executor network, Executor reads, Consumer<Runnable> ui, Consumer<String> typing) {
        this.m = model;
        this.keys = keys;
        this.renderer = renderer;
        this.driver = driver;
        this.actions = actions;
        this.db = db;
        this.network = network;
        this.reads = reads;
        this.ui = ui;
        this.typing = typing;
    }

    void key(KeyStroke k) {
        if (k.getKeyType() == KeyType.EOF) {
            m.quit = true;
            return;
        }
        if (keys.is(k, KeyMap.Action.QUIT) || (k.isCtrlDown() && k.getKeyType() == KeyType.Character && k.getCharacter() == 'c')) {
            m.quit = true;
            return;
        }
        if (m.overlay != null) {
            overlayKey(k);
            return;
        }
        if (global(k)) return;
        switch (m.focus) {
            case CHATS -> chatsKey(k);
            case MESSAGES -> messagesKey(k);
            case COMPOSER -> composerKey(k);
        }
    }

    // ---- anywhere ----------------------------------------------------------------------------------------

    private boolean global(KeyStroke k) {
        if (is(k, KeyMap.Action.HELP)) m.overlay = new UiModel.Help();
        else if (is(k, KeyMap.Action.ATTACH)) m.overlay = new UiModel.Prompt("Attach a file (path; Enter sends, Esc cancels)", "", this::attach);
        else if (is(k, KeyMap.Action.FOCUS_NEXT)) cycleFocus(1);
        else if (is(k, KeyMap.Action.FOCUS_PREV)) cycleFocus(-1);
        else if (is(k, KeyMap.Action.NEXT_CHAT)) moveChat(1, true);
        else if (is(k, KeyMap.Action.PREV_CHAT)) moveChat(-1, true);
        else if (is(k, KeyMap.Action.NEXT_UNREAD)) nextUnread();
        else if (is(k, KeyMap.Action.SEARCH)) openSearch("");
        else if (is(k, KeyMap.Action.PINS)) openPins();
        else if (is(k, KeyMap.Action.MARK_READ)) markRead(true);
        else if (is(k, KeyMap.Action.SCROLL_UP)) scroll(renderer.paneRows - 1);
        else if (is(k, KeyMap.Action.SCROLL_DOWN)) scroll(-(renderer.paneRows - 1));
        else if (is(k, KeyMap.Action.LATEST)) latest();
        else if (is(k, KeyMap.Action.TOGGLE_LIST)) m.showList = !m.showList;
        else if (is(k, KeyMap.Action.REDRAW)) m.fullRedraw = true;
        else return false;
        return true;
    }

    private boolean is(KeyStroke k, KeyMap.Action a) {
        return keys.is(k, a);
    }

    private void cycleFocus(int dir) {
        UiModel.Focus[] order = UiModel.Focus.values();
        UiModel.Focus next = order[Math.floorMod(m.focus.ordinal() + dir, order.length)];
        if (next == UiModel.Focus.MESSAGES) {
            List<MessageView> msgs = m.state.window().messages();
            if (msgs.isEmpty()) next = order[Math.floorMod(next.ordinal() + dir, order.length)];
            else if (m.selected == null) select(msgs.get(msgs.size() - 1).id());
        }
        if (next == UiModel.Focus.CHATS) m.showList = true;
        m.focus = next;
    }

    private void moveChat(int dir, boolean open) {
        List<UiModel.ChatRow> rows = m.chatRows();
        if (rows.isEmpty()) return;
        m.chatRow = Math.max(0, Math.min(rows.size() - 1, m.chatRow + dir));
        if (open) openRow(rows.get(m.chatRow), false);
    }

    private void nextUnread() {
        List<UiModel.ChatRow> rows = m.chatRows();
        Map<String, ChatSummary> byId = byId();
        for (int i = 1; i <= rows.size(); i++) {
            int idx = Math.floorMod(m.chatRow + i, rows.size());
            UiModel.ChatRow r = rows.get(idx);
            ChatSummary s = byId.get(r.chatUUID());
            if (!r.isSub() && s != null && s.unreadCount() > 0) {
                m.chatRow = idx;
                openRow(r, false);
                m.focus = UiModel.Focus.COMPOSER;
                return;
            }
        }
        m.flash("no unread messages", false);
    }

    private Map<String, ChatSummary> byId() {
        Map<String, ChatSummary> byId = new HashMap<>();
        for (ChatSummary s : m.state.chats()) byId.put(s.uuid(), s);
        return byId;
    }

    private void openRow(UiModel.ChatRow r, boolean toggleForum) {
        ChatSummary s = byId().get(r.chatUUID());
        if (s != null && "FORUM".equals(s.type()) && !r.isSub()) {
            if (toggleForum && !m.expanded.remove(s.uuid())) m.expanded.add(s.uuid());
            loadSubs(s.uuid());
        }
        open(r.chatUUID(), r.subID());
    }

    private void loadSubs(String chatUUID) {
        reads.execute(() -> {
            var subs = db.subs(chatUUID);
            ui.accept(() -> m.subs.put(chatUUID, subs));
        });
    }

    private void open(String chatUUID, int subID) {
        AppState.OpenChat now = m.state.window().chat();
        if (now != null && now.chatUUID().equals(chatUUID) && now.subID() == subID) return;
        resetChatView();
        driver.open(chatUUID, subID);
    }

    private void resetChatView() {
        m.scroll = 0;
        m.selected = null;
        m.replyTo = null;
        if (m.editing != null) {
            m.editing = null;
            m.composer.clear();
        }
        if (m.focus == UiModel.Focus.MESSAGES) m.focus = UiModel.Focus.COMPOSER;
    }

    private void scroll(int lines) {
        m.scroll = Math.max(0, m.scroll + lines);
        int total = renderer.lines(m, Math.max(1, lastWidth())).size();
        if (lines > 0 && m.scroll + renderer.paneRows >= total && m.state.window().hasOlder()) driver.loadOlder();
    }

    /** Mouse wheel: lines up (positive) or down. */
    void scrollBy(int lines) {
        scroll(lines);
    }

    /** A mouse click: on a chat list row opens that chat; elsewhere moves focus there. */
    void click(int col, int row) {
        if (m.overlay != null) return;
        if (col < m.listWidth) {
            int idx = m.chatListTop + row - 1;
            List<UiModel.ChatRow> rows = m.chatRows();
            if (row >= 1 && idx < rows.size()) {
                m.chatRow = idx;
                openRow(rows.get(idx), true);
            }
            m.focus = UiModel.Focus.CHATS;
        } else {
            m.focus = UiModel.Focus.COMPOSER;
        }
    }

    private int lastWidth() {
        return m.paneWidth;
    }

    private void latest() {
        m.scroll = 0;
        m.selected = null;
        if (m.focus == UiModel.Focus.MESSAGES) m.focus = UiModel.Focus.COMPOSER;
        if (!m.state.window().tail()) driver.jumpToLatest();
    }

    // ---- chat list ---------------------------------------------------------------------------------------

    private void chatsKey(KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character ? k.getCharacter() : 0;
        if (t == KeyType.ArrowUp || c == 'k') moveChat(-1, false);
        else if (t == KeyType.ArrowDown || c == 'j') moveChat(1, false);
        else if (t == KeyType.Home) m.chatRow = 0;
        else if (t == KeyType.End) m.chatRow = Math.max(0, m.chatRows().size() - 1);
        else if (is(k, KeyMap.Action.OPEN)) {
            List<UiModel.ChatRow> rows = m.chatRows();
            if (rows.isEmpty()) return;
            UiModel.ChatRow r = rows.get(Math.min(m.chatRow, rows.size() - 1));
            ChatSummary s = byId().get(r.chatUUID());
            boolean forum = s != null && "FORUM".equals(s.type()) && !r.isSub();
            openRow(r, forum);
            if (!forum || t == KeyType.Enter) m.focus = UiModel.Focus.COMPOSER;
        } else if (t == KeyType.ArrowLeft) {
            List<UiModel.ChatRow> rows = m.chatRows();
            if (!rows.isEmpty()) m.expanded.remove(rows.get(Math.min(m.chatRow, rows.size() - 1)).chatUUID());
        } else if (t == KeyType.Escape) {
            m.focus = UiModel.Focus.COMPOSER;
        }
    }

    // ---- selected message --------------------------------------------------------------------------------

    private void select(long id) {
        m.selected = id;
        m.selectionMoved = true;
    }

    private MessageView selectedMessage() {
        if (m.selected == null) return null;
        for (MessageView v : m.state.window().messages()) if (v.id() == m.selected) return v;
        return null;
    }

    private void messagesKey(KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character && !k.isCtrlDown() && !k.isAltDown() ? k.getCharacter() : 0;
        List<MessageView> msgs = m.state.window().messages();
        MessageView sel = selectedMessage();
        int idx = sel == null ? msgs.size() : msgs.indexOf(sel);
        if (t == KeyType.ArrowUp || c == 'k') {
            if (idx > 0) select(msgs.get(idx - 1).id());
            if (idx <= 1 && m.state.window().hasOlder()) driver.loadOlder();
        } else if (t == KeyType.ArrowDown || c == 'j') {
            if (idx >= 0 && idx < msgs.size() - 1) select(msgs.get(idx + 1).id());
            else toComposer();
        } else if (t == KeyType.Home || c == 'g') {
            if (!msgs.isEmpty()) select(msgs.get(0).id());
            if (m.state.window().hasOlder()) driver.loadOlder();
        } else if (t == KeyType.End || c == 'G') {
            if (!msgs.isEmpty()) select(msgs.get(msgs.size() - 1).id());
            m.scroll = 0;
        } else if (t == KeyType.Escape || t == KeyType.Enter) {
            toComposer();
        } else if (sel == null) {
            return;
        } else if (is(k, KeyMap.Action.REPLY)) {
            m.replyTo = sel;
            m.editing = null;
            toComposer();
        } else if (is(k, KeyMap.Action.EDIT)) {
            if (!mine(sel) || sel.deleted()) {
                m.flash("you can only edit your own messages", true);
                return;
            }
            m.editing = sel;
            m.replyTo = null;
            m.composer.set(sel.content() == null ? "" : sel.content());
            toComposer();
        } else if (is(k, KeyMap.Action.DELETE)) {
            if (!mine(sel) || sel.deleted()) {
                m.flash("you can only delete your own messages", true);
                return;
            }
            m.overlay = new UiModel.Confirm("Delete this message for everyone?", () ->
                    run("deleted", () -> actions.delete(sel.chatUUID(), sel.subID(), sel.id())));
        } else if (is(k, KeyMap.Action.REACT)) {
            if (!sel.deleted()) m.overlay = new UiModel.React(sel);
        } else if (is(k, KeyMap.Action.PIN)) {
            boolean pin = !sel.pinned();
            run(pin ? "pinned" : "unpinned", () -> actions.pin(sel.chatUUID(), sel.subID(), sel.id(), pin));
        } else if (is(k, KeyMap.Action.SAVE_FILE)) {
            if (sel.files().isEmpty()) {
                m.flash("this message has no attachment", true);
                return;
            }
            var file = sel.files().get(0);
            String suggested = downloadDir().resolve(FileFetcher.safeName(file.name())).toString();
            m.overlay = new UiModel.Prompt("Save " + file.name() + " to (Enter saves, Esc cancels)", suggested, path -> {
                if (path.isBlank()) return;
                Path target = expandHome(path);
                run("saved " + target, () -> actions.saveFile(file.uuid(), file.size(), file.name(), target));
            });
        }
    }

    private boolean mine(MessageView v) {
        return v.senderUUID() != null && v.senderUUID().equals(m.state.myUUID());
    }

    private void toComposer() {
        m.focus = UiModel.Focus.COMPOSER;
        m.selected = null;
        m.scroll = 0;
    }

    // ---- composer ----------------------------------------------------------------------------------------

    private void composerKey(KeyStroke k) {
        if (is(k, KeyMap.Action.NEWLINE)) {
            m.composer.newline();
            return;
        }
        if (is(k, KeyMap.Action.SEND)) {
            submit();
            return;
        }
        if (is(k, KeyMap.Action.CANCEL)) {
            if (m.editing != null) m.composer.clear();
            m.editing = null;
            m.replyTo = null;
            return;
        }
        if (is(k, KeyMap.Action.SELECT) && m.composer.isEmpty()) {
            List<MessageView> msgs = m.state.window().messages();
            if (!msgs.isEmpty()) {
                select(msgs.get(msgs.size() - 1).id());
                m.focus = UiModel.Focus.MESSAGES;
            }
            return;
        }
        if (edit(m.composer, k)) signalTyping();
    }

    /** Line editing shared by the composer and the dialogs' input lines; true when the text changed. */
    static boolean edit(Composer c, KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Character && k.isCtrlDown()) {
            switch (Character.toLowerCase(k.getCharacter())) {
                case 'a' -> c.home();
                case 'e' -> c.end();
                case 'w' -> {
                    c.deleteWord();
                    return true;
                }
                case 'u' -> {
                    c.deleteToStart();
                    return true;
                }
                default -> {
                }
            }
            return false;
        }
        switch (t) {
            case Character -> {
                if (k.isAltDown()) return false;
                c.insert(String.valueOf(k.getCharacter()));
                return true;
            }
            case Backspace -> {
                c.backspace();
                return true;
            }
            case Delete -> {
                c.delete();
                return true;
            }
            case ArrowLeft -> c.left();
            case ArrowRight -> c.right();
            case Home -> c.home();
            case End -> c.end();
            default -> {
            }
        }
        return false;
    }

    private void signalTyping() {
        AppState.OpenChat open = m.state.window().chat();
        long now = System.currentTimeMillis();
        if (open != null && now - lastTypingSignal > 3000 && !m.composer.text().startsWith("/")) {
            lastTypingSignal = now;
            typing.accept(open.chatUUID());
        }
    }

    private void submit() {
        String text = m.composer.text().strip();
        if (text.isEmpty()) return;
        if (text.startsWith("/") && !text.startsWith("//") && m.editing == null) {
            m.composer.clear();
            command(text);
            return;
        }
        if (text.startsWith("//")) text = text.substring(1);
        AppState.OpenChat open = writableChat();
        if (open == null) return;
        m.composer.clear();
        lastTypingSignal = 0;
        if (m.editing != null) {
            MessageView target = m.editing;
            m.editing = null;
            String content = text;
            run("edited", () -> actions.edit(target.chatUUID(), target.subID(), target.id(), content));
            return;
        }
        Long reply = m.replyTo == null ? null : m.replyTo.id();
        m.replyTo = null;
        String content = text;
        m.scroll = 0;
        network.execute(() -> {
            String tempId;
            try {
                tempId = actions.queue(open.chatUUID(), open.subID(), content, reply);
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("not queued: " + oneLine(e), true));
                return;
            }
            driver.outboxChanged();
            OutboxSender.Result r;
            try {
                r = actions.deliver(tempId);
            } catch (RuntimeException e) {
                r = new OutboxSender.Result(OutboxSender.State.QUEUED, null, oneLine(e));
            }
            driver.outboxChanged();
            OutboxSender.Result result = r;
            if (result.state() == OutboxSender.State.QUEUED) {
                ui.accept(() -> m.flash("offline: queued, it goes out when the server is back", true));
            } else if (result.state() == OutboxSender.State.REJECTED) {
                ui.accept(() -> m.flash("not sent: " + result.reason(), true));
            }
        });
    }

    /** The open chat when something can be written to it; otherwise null, with the reason flashed. */
    private AppState.OpenChat writableChat() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null) {
            m.flash("open a chat first (Tab to the chat list, Enter)", true);
            return null;
        }
        if (actions == null) {
            m.flash("no server for this store: read-only", true);
            return null;
        }
        return open;
    }

    /** Sends the file at {@code pathText} to the open chat, with what the composer holds as its caption. */
    private void attach(String pathText) {
        if (pathText.isBlank()) return;
        AppState.OpenChat open = writableChat();
        if (open == null) return;
        Path path = expandHome(pathText);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            m.flash("cannot attach " + path + ": " + (Files.exists(path) ? "not a readable file" : "no such file"), true);
            return;
        }
        String caption = m.composer.text().isBlank() ? null : m.composer.text();
        Long reply = m.replyTo == null ? null : m.replyTo.id();
        m.composer.clear();
        m.replyTo = null;
        network.execute(() -> {
            OutboxSender.Result r;
            try {
                List<OutgoingFile> files = List.of(OutgoingFile.of(path));
                r = actions.sendFiles(open.chatUUID(), open.subID(), caption, reply, files);
            } catch (IOException | RuntimeException e) {
                ui.accept(() -> m.flash("not sent: " + oneLine(e), true));
                return;
            } finally {
                driver.outboxChanged();
            }
            OutboxSender.Result result = r;
            ui.accept(() -> m.flash(result.state() == OutboxSender.State.DELIVERED ? "sent " + path.getFileName()
                    : result.state() == OutboxSender.State.QUEUED ? "offline: " + path.getFileName() + " waits in the outbox"
                    : "not sent: " + result.reason(), result.state() != OutboxSender.State.DELIVERED));
        });
    }

    static Path expandHome(String path) {
        String home = System.getProperty("user.home");
        if (path.equals("~")) return Path.of(home);
        if (path.startsWith("~/")) return Path.of(home, path.substring(2));
        return Path.of(path).toAbsolutePath();
    }

    /** $XDG_DOWNLOAD_DIR, else ~/Downloads when it exists, else the working directory. */
    static Path downloadDir() {
        String xdg = System.getenv("XDG_DOWNLOAD_DIR");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg);
        Path downloads = Path.of(System.getProperty("user.home"), "Downloads");
        return Files.isDirectory(downloads) ? downloads : Path.of("").toAbsolutePath();
    }

    private void command(String line) {
        String[] parts = line.substring(1).trim().split("\\s+");
        String cmd = parts[0].toLowerCase(Locale.ROOT);
        List<String> args = Arrays.asList(parts).subList(1, parts.length);
        String rest = line.substring(1).trim().substring(parts[0].length()).trim();
        switch (cmd) {
            case "quit", "q" -> m.quit = true;
            case "help" -> m.overlay = new UiModel.Help();
            case "search" -> openSearch(rest);
            case "pins" -> openPins();
            case "read" -> markRead(true);
            case "attach" -> {
                if (rest.isEmpty()) m.flash("usage: /attach PATH", true);
                else attach(rest);
            }
            case "join" -> {
                if (args.isEmpty()) m.flash("usage: /join @handle", true);
                else runThenOpen("joined " + args.get(0), () -> actions.join(args.get(0)));
            }
            case "dm" -> {
                if (args.size() != 1) m.flash("usage: /dm @user", true);
                else runThenOpen("chat with " + args.get(0) + " ready", () -> actions.create("DM", null, null, args));
            }
            case "group", "channel", "forum" -> {
                List<String> names = new ArrayList<>();
                List<String> members = new ArrayList<>();
                String handle = null;
                for (String a : args) {
                    if (a.startsWith("@")) members.add(a);
                    else if (a.startsWith("handle=")) handle = a.substring(7);
                    else names.add(a);
                }
                if (names.isEmpty()) {
                    m.flash("usage: /" + cmd + " NAME [@member…] [handle=HANDLE]", true);
                    return;
                }
                String name = String.join(" ", names);
                String h = handle;
                runThenOpen(cmd + " " + name + " created",
                        () -> actions.create(cmd.toUpperCase(Locale.ROOT), name, h, members));
            }
            default -> m.flash("unknown command /" + cmd + " (F1 lists them; // sends a message starting with /)", true);
        }
    }

    // ---- dialogs -----------------------------------------------------------------------------------------

    private void overlayKey(KeyStroke k) {
        KeyType t = k.getKeyType();
        UiModel.Overlay o = m.overlay;
        if (t == KeyType.Escape) {
            m.overlay = null;
            return;
        }
        if (o instanceof UiModel.Help h) {
            if (t == KeyType.Enter || is(k, KeyMap.Action.HELP) || (t == KeyType.Character && k.getCharacter() == 'q')) m.overlay = null;
            // The renderer clamps top to what the window shows, so a scroll past the end just stays there.
            else if (t == KeyType.ArrowDown || (t == KeyType.Character && k.getCharacter() == 'j')) h.top++;
            else if (t == KeyType.ArrowUp || (t == KeyType.Character && k.getCharacter() == 'k')) h.top = Math.max(0, h.top - 1);
            else if (t == KeyType.PageDown || (t == KeyType.Character && k.getCharacter() == ' ')) h.top += 10;
            else if (t == KeyType.PageUp) h.top = Math.max(0, h.top - 10);
            else if (t == KeyType.Home) h.top = 0;
        } else if (o instanceof UiModel.Confirm q) {
            m.overlay = null;
            if (t == KeyType.Character && Character.toLowerCase(k.getCharacter()) == 'y') q.yes().run();
        } else if (o instanceof UiModel.React r) {
            if (t == KeyType.Character && r.custom.isEmpty() && k.getCharacter() >= '1' && k.getCharacter() <= '8') {
                react(r.target, UiModel.React.QUICK.get(k.getCharacter() - '1'));
            } else if (t == KeyType.Enter) {
                if (!r.custom.text().isBlank()) react(r.target, r.custom.text().strip());
            } else {
                edit(r.custom, k);
            }
        } else if (o instanceof UiModel.Pins p) {
            if (t == KeyType.ArrowUp) p.selected = Math.max(0, p.selected - 1);
            else if (t == KeyType.ArrowDown) p.selected = Math.min(p.pins.size() - 1, p.selected + 1);
            else if (t == KeyType.Enter && !p.pins.isEmpty()) {
                var pin = p.pins.get(p.selected);
                m.overlay = null;
                jumpTo(m.state.window().chat().chatUUID(), pin.subID(), pin.messageID());
            }
        } else if (o instanceof UiModel.Search s) {
            if (t == KeyType.ArrowUp) s.selected = Math.max(0, s.selected - 1);
            else if (t == KeyType.ArrowDown) s.selected = Math.min(Math.max(0, s.results.size() - 1), s.selected + 1);
            else if (t == KeyType.Enter) {
                if (s.results.isEmpty()) return;
                MessageView hit = s.results.get(Math.min(s.selected, s.results.size() - 1));
                m.overlay = null;
                jumpTo(hit.chatUUID(), hit.subID(), hit.id());
            } else if (edit(s.query, k)) {
                search(s);
            }
        } else if (o instanceof UiModel.Prompt p) {
            if (t == KeyType.Enter) {
                m.overlay = null;
                p.done.accept(p.answer.text().strip());
            } else {
                edit(p.answer, k);
            }
        }
    }

    private void react(MessageView target, String emoji) {
        m.overlay = null;
        boolean mineAlready = target.reactions().stream().anyMatch(r -> r.emoji().equals(emoji) && r.mine());
        run(mineAlready ? "reaction removed" : "reacted " + emoji,
                () -> actions.react(target.chatUUID(), target.subID(), target.id(), emoji, !mineAlready));
    }

    private void jumpTo(String chatUUID, int subID, long messageId) {
        resetChatView();
        List<UiModel.ChatRow> rows = m.chatRows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).chatUUID().equals(chatUUID) && rows.get(i).subID() == subID) m.chatRow = i;
        }
        driver.openAt(chatUUID, subID, messageId);
        select(messageId);
        m.focus = UiModel.Focus.MESSAGES;
    }

    private void openSearch(String initial) {
        UiModel.Search s = new UiModel.Search();
        s.query.set(initial);
        Map<String, String> titles = new HashMap<>();
        for (ChatSummary c : m.state.chats()) titles.put(c.uuid(), c.title() == null ? "?" : c.title());
        s.chatTitles = titles;
        m.overlay = s;
        if (!initial.isBlank()) search(s);
    }

    /**
     * Runs the FTS query in the background. A query that a newer one supersedes is not started, or stops where it
     * is (SQLite checks between steps), so the newest query never waits behind a stale one.
     */
    private void search(UiModel.Search s) {
        String text = s.query.text();
        long generation = ++searchGeneration;
        reads.execute(() -> {
            List<MessageView> hits;
            try {
                var answer = text.isBlank() ? java.util.Optional.of(List.<MessageView>of())
                        : db.search(ftsQuery(text), 100, () -> generation != searchGeneration);
                if (answer.isEmpty()) return; // superseded: the newer query is queued behind this one
                hits = answer.get();
            } catch (RuntimeException e) {
                hits = List.of();
            }
            List<MessageView> found = hits;
            ui.accept(() -> {
                if (generation != searchGeneration || m.overlay != s) return;
                s.results = found;
                s.selected = 0;
                s.searchedFor = text;
            });
        });
    }

    /** Each word as a quoted prefix term: what a person types never reaches FTS5 as syntax. */
    static String ftsQuery(String text) {
        StringBuilder b = new StringBuilder();
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) continue;
            if (b.length() > 0) b.append(' ');
            b.append('"').append(w.replace("\"", "\"\"")).append("\"*");
        }
        return b.toString();
    }

    private void openPins() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null) return;
        reads.execute(() -> {
            var pins = db.pinnedMessages(open.chatUUID());
            ui.accept(() -> m.overlay = new UiModel.Pins(pins));
        });
    }

    /**
     * Marks the open chat read up to its newest message; with {@code force} also when scrolled away. Each
     * watermark is asked for once.
     */
    void markRead(boolean force) {
        AppState.ChatWindow w = m.state.window();
        if (!w.isOpen() || w.messages().isEmpty() || !w.tail()) return;
        if (!force && (m.scroll > 0 || m.overlay != null || m.state.connection() != AppState.Connection.LIVE)) return;
        long newest = w.messages().get(w.messages().size() - 1).id();
        long mine = w.reads().stream().filter(r -> r.userUUID().equals(m.state.myUUID()))
                .mapToLong(r -> r.messageID()).max().orElse(0);
        String key = w.chat().chatUUID() + "/" + w.chat().subID();
        if (newest <= mine || m.markedRead.getOrDefault(key, 0L) >= newest) return;
        m.markedRead.put(key, newest);
        network.execute(() -> {
            try {
                actions.markRead(w.chat().chatUUID(), w.chat().subID(), newest);
            } catch (RuntimeException e) {
                ui.accept(() -> m.markedRead.remove(key));
            }
        });
    }

    private void run(String done, Runnable call) {
        if (actions == null) {
            m.flash("no server for this store: read-only", true);
            return;
        }
        network.execute(() -> {
            try {
                call.run();
                driver.storeChanged();
                ui.accept(() -> m.flash(done, false));
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("failed: " + oneLine(e), true));
            }
        });
    }

    private void runThenOpen(String done, java.util.function.Supplier<String> call) {
        network.execute(() -> {
            try {
                String chat = call.get();
                driver.storeChanged();
                ui.accept(() -> {
                    m.flash(done, false);
                    if (chat != null) {
                        resetChatView();
                        driver.open(chat, 0);
                    }
                });
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("failed: " + oneLine(e), true));
            }
        });
    }

    private static String oneLine(Exception e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return s.replace('\n', ' ');
    }
}
