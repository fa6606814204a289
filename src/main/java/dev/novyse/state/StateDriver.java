package dev.novyse.state;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.store.ChatPrefs;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;
import dev.novyse.store.ReadMarker;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Feeds the {@link StateBus} from the local database and the live channel. The live channel has already
 * committed each change when it publishes it to this subscriber, so the bus is refreshed by reading SQLite back:
 * what the UI shows is always what the database holds. Reads run on the driver's own thread and are coalesced
 * (a burst of fifty events costs one chat-list query), so neither the channel's worker nor the UI thread
 * ever waits for a query.
 */
public final class StateDriver implements Consumer<ChannelEvent>, AutoCloseable {
    /** Messages per page when opening a chat or scrolling back. */
    public static final int PAGE = 200;
    /** The chat list is capped; a terminal shows far fewer rows. */
    static final int CHAT_LIMIT = 2000;
    /** More chat-list rows than a screen shows: the chats whose counts the first frame needs. */
    static final int FIRST_SCREEN_ROWS = 64;
    private static final Duration TYPING_SHOWN = Duration.ofSeconds(6);
    private static final String LAST_CHAT = "tui.lastChat";

    /**
     * What a flush re-reads. CHATS re-reads the list but counts unread messages only in {@link #recount}'s chats;
     * ALL_CHATS counts them in every chat (a sync, a change of names or of the account's own read state).
     */
    private static final int CHATS = 1, WINDOW = 2, OUTBOX = 4, ALL_CHATS = 8;

    /** Fetches older messages of a (chat, sub) from the server into the store; returns how many it stored. */
    @FunctionalInterface
    public interface HistorySource {
        int fetchOlder(String chatUUID, int subID, long beforeId, int limit);
    }

    private final LocalDatabase db;
    private final StateBus bus;
    private final HistorySource history;
    private final ScheduledExecutorService worker;
    private final AtomicInteger dirty = new AtomicInteger();
    /** Chats whose unread counts may have changed since the last flush (any thread adds, the flush drains). */
    private final Set<String> recount = ConcurrentHashMap.newKeySet();
    /** Typing entries: chat → user uuid → when it expires (ms). Touched on the worker thread only. */
    private final Map<String, Map<String, Long>> typing = new HashMap<>();
    private final Set<String> online = new HashSet<>();
    private volatile Consumer<String> errors = m -> { };

    public StateDriver(LocalDatabase db, StateBus bus, HistorySource history) {
        this.db = db;
        this.bus = bus;
        this.history = history;
        this.worker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("novyse-state"));
    }

    public StateBus bus() {
        return bus;
    }

    /** Where read failures go (a status line); the driver keeps running. */
    public void onError(Consumer<String> sink) {
        this.errors = sink;
    }

    /** Loads the chat list and reopens the last viewed chat (or the first one). */
    public void start(String accountLabel) {
        start(accountLabel, null);
    }

    /** {@link #start(String)}, then runs {@code loaded} (on the driver's thread) once that state is published. */
    public void start(String accountLabel, Runnable loaded) {
        run(() -> {
            try {
                String me = db.accountUserUUID().orElse("");
                bus.update(s -> s.withAccount(accountLabel, me).withOutbox(db.pending().size(), refusedCount()));
                var chats = db.chatListCountingFirst(CHAT_LIMIT, FIRST_SCREEN_ROWS);
                // The chats below the first screen are counted once it is drawn (shown()): on two cores, counting
                // beside the first frame's drawing delayed it. Marked before the list is published.
                for (ChatSummary c : chats) if (c.unreadCount() < 0) recount.add(c.uuid());
                var prefs = ChatPrefs.of(db.syncedSettings());
                bus.update(s -> s.withChats(chats).withChatPrefs(prefs));
                openInitial(chats);
            } finally {
                if (loaded != null) loaded.run();
            }
        });
    }

    /** The first frame is on the screen: the chats {@link #start} left uncounted are counted now. */
    public void shown() {
        if (!recount.isEmpty()) mark(CHATS);
    }

    /**
     * The last viewed chat if it still exists, else the first of the list; nothing while the list is empty. It opens
     * around its first unread message when more came than a page holds, as a chat entered does.
     */
    private void openInitial(List<ChatSummary> chats) {
        String last = db.localSetting(LAST_CHAT).orElse(null);
        AppState.OpenChat open = null;
        if (last != null) {
            int slash = last.lastIndexOf('/');
            String uuid = slash < 0 ? last : last.substring(0, slash);
            int sub = slash < 0 ? 0 : Integer.parseInt(last.substring(slash + 1));
            if (chats.stream().anyMatch(c -> c.uuid().equals(uuid))) open = new AppState.OpenChat(uuid, sub);
        }
        if (open == null && !chats.isEmpty()) open = new AppState.OpenChat(chats.get(0).uuid(), 0);
        if (open != null) openNow(open, null, true); // the screen shows it from its first unread message
    }

    /**
     * Opens a chat at its newest messages and remembers it as the last viewed one; with {@code atFirstUnread}, when
     * more came since the account last read it than a page holds, at its first unread message instead (the window
     * then reads on with {@link #loadNewer}).
     */
    public void open(String chatUUID, int subID, boolean atFirstUnread) {
        run(() -> openNow(new AppState.OpenChat(chatUUID, subID), null, atFirstUnread));
    }

    /**
     * The first message after the account's read watermark {@code mine} that someone else wrote (the account's own
     * are never unread: a script's posts as the account come before it), when the {@code newest} page does not reach
     * it; else 0.
     */
    private long firstUnreadOutside(List<MessageView> newest, AppState.OpenChat chat, long mine) {
        if (mine <= 0) return 0; // never read: its newest messages
        String me = bus.current().myUUID();
        long from = mine;
        for (int pages = 0; pages < 5 && !newest.isEmpty() && newest.get(0).id() > from + 1; pages++) {
            List<MessageView> next = after(chat.chatUUID(), chat.subID(), from, PAGE);
            if (next.isEmpty()) return 0;
            for (MessageView m : next) {
                if (m.id() >= newest.get(0).id()) return 0; // in the newest page after all
                if (m.byAnotherThan(me)) return m.id();
            }
            from = next.get(next.size() - 1).id();
        }
        return 0;
    }

    /** Opens a chat with {@code messageId} inside the loaded slice (jump to a search result or a pin). */
    public void openAt(String chatUUID, int subID, long messageId) {
        run(() -> openNow(new AppState.OpenChat(chatUUID, subID), messageId, false));
    }

    /** Extends the open chat's slice backwards by a page: from SQLite, else from the server's history. */
    public void loadOlder() {
        run(() -> {
            AppState.ChatWindow w = bus.current().window();
            if (!w.isOpen() || !w.hasOlder()) return;
            long oldest = w.messages().isEmpty() ? Long.MAX_VALUE : w.messages().get(0).id();
            List<MessageView> older = db.before(w.chat().chatUUID(), w.chat().subID(), oldest, PAGE);
            if (older.isEmpty() && oldest > 1 && history != null) {
                history.fetchOlder(w.chat().chatUUID(), w.chat().subID(), oldest, PAGE);
                older = db.before(w.chat().chatUUID(), w.chat().subID(), oldest, PAGE);
                markChat(w.chat().chatUUID(), 0); // fetched history may be unread
            }
            List<MessageView> merged = new ArrayList<>(older);
            merged.addAll(w.messages());
            boolean more = !older.isEmpty() && older.get(0).id() > 1;
            bus.update(s -> s.window().chat() != null && s.window().chat().equals(w.chat())
                    ? s.withWindow(new AppState.ChatWindow(w.chat(), merged, s.window().tail(), more,
                    s.window().pending(), s.window().reads(), s.window().myReadUpTo()))
                    : s);
        });
    }

    /**
     * Extends the open chat's slice forwards by a page when it shows an older stretch of the chat (after a jump to a
     * pin or a search hit); reaching the newest message, the window follows the chat again.
     */
    public void loadNewer() {
        run(() -> {
            AppState.ChatWindow w = bus.current().window();
            if (!w.isOpen() || w.tail()) return;
            String chat = w.chat().chatUUID();
            int sub = w.chat().subID();
            long last = w.messages().isEmpty() ? 0 : w.messages().get(w.messages().size() - 1).id();
            List<MessageView> newer = after(chat, sub, last, PAGE);
            if (newer.isEmpty() && !reachesNewest(chat, sub, w.messages())) { // a gap in the store's ids
                openNow(w.chat(), null, false);
                return;
            }
            List<MessageView> merged = new ArrayList<>(w.messages());
            merged.addAll(newer);
            boolean tail = reachesNewest(chat, sub, merged);
            bus.update(s -> s.window().chat() != null && s.window().chat().equals(w.chat())
                    ? s.withWindow(new AppState.ChatWindow(w.chat(), merged, tail, s.window().hasOlder(),
                    s.window().pending(), s.window().reads(), s.window().myReadUpTo()))
                    : s);
        });
    }

    /** Up to {@code n} messages after {@code id}, oldest first (ids are dense per sub). */
    private List<MessageView> after(String chat, int sub, long id, int n) {
        return db.before(chat, sub, id + n + 1, n).stream().filter(m -> m.id() > id).toList();
    }

    /** Whether {@code slice} holds the newest message the store has of (chat, sub). */
    private boolean reachesNewest(String chat, int sub, List<MessageView> slice) {
        List<MessageView> last = db.latest(chat, sub, 1);
        long newest = last.isEmpty() ? 0 : last.get(0).id();
        return slice.isEmpty() || slice.get(slice.size() - 1).id() >= newest;
    }

    /** Back to the newest messages of the open chat (after a jump). */
    public void jumpToLatest() {
        run(() -> {
            AppState.ChatWindow w = bus.current().window();
            if (w.isOpen()) openNow(w.chat(), null, false);
        });
    }

    /** The outbox changed (a send queued or delivered): refresh the pending rows and the outbox size. */
    public void outboxChanged() {
        // The account's own messages are never unread: the list is re-read (last message) but nothing recounted.
        mark(OUTBOX | WINDOW | CHATS);
    }

    /** Something was written to the store outside the live channel (an action's reply, a manual sync). */
    public void storeChanged() {
        mark(ALL_CHATS | WINDOW);
    }

    /**
     * Opens {@code chat} at its newest messages, or around the message {@code around}; with {@code atFirstUnread}
     * around its first unread message when the newest page does not reach it.
     */
    private void openNow(AppState.OpenChat chat, Long around, boolean atFirstUnread) {
        List<ReadMarker> reads = db.readMarkers(chat.chatUUID(), chat.subID());
        String me = bus.current().myUUID();
        long mine = ReadMarker.upTo(reads, me);
        List<MessageView> slice = List.of();
        if (around == null) {
            slice = db.latest(chat.chatUUID(), chat.subID(), PAGE);
            long firstUnread = atFirstUnread ? firstUnreadOutside(slice, chat, mine) : 0;
            if (firstUnread > 0) around = firstUnread;
        }
        boolean tail = around == null;
        if (around != null) {
            // Half a page up to the message, half a page after it.
            slice = new ArrayList<>(db.before(chat.chatUUID(), chat.subID(), around + 1, PAGE / 2));
            slice.addAll(after(chat.chatUUID(), chat.subID(), around, PAGE / 2));
            tail = reachesNewest(chat.chatUUID(), chat.subID(), slice);
        }
        List<PendingMessage> pending = pendingOf(chat);
        boolean more = !slice.isEmpty() && slice.get(0).id() > 1;
        AppState.ChatWindow w = new AppState.ChatWindow(chat, slice, tail, more, pending, reads, mine);
        bus.update(s -> s.withWindow(w));
        db.setLocalSetting(LAST_CHAT, chat.chatUUID() + "/" + chat.subID());
    }

    /** Messages the server refused, kept in the outbox until retried or dropped (the status bar counts them apart). */
    private int refusedCount() {
        return (int) db.outbox().stream().filter(p -> p.state() == OutboxState.FAILED).count();
    }

    private List<PendingMessage> pendingOf(AppState.OpenChat chat) {
        return db.outbox().stream()
                .filter(p -> p.chatUUID().equals(chat.chatUUID()) && p.subID() == chat.subID() && p.state() != OutboxState.SENT)
                .toList();
    }

    private void mark(int what) {
        if (dirty.getAndAccumulate(what, (a, b) -> a | b) == 0) {
            run(this::flush);
        }
    }

    /** {@link #mark} with the chat list re-read and {@code chatUUID}'s counts (only) counted again. */
    private void markChat(String chatUUID, int what) {
        recount.add(chatUUID); // before the flag: a flush that sees the flag also sees the chat
        mark(CHATS | what);
    }

    /**
     * One pass over everything marked dirty since the last pass. The open chat goes first: its reads are a
     * primary-key window of a few milliseconds, while the chat list counts unread messages (in the chats marked for
     * a recount; in every chat after a sync, about 100 ms with 1M messages and 100k unread, TuiBenchmark).
     */
    private void flush() {
        int what = dirty.getAndSet(0);
        if ((what & WINDOW) != 0 && bus.current().window().isOpen()) refreshWindow();
        if ((what & OUTBOX) != 0) {
            int size = db.pending().size(), refused = refusedCount();
            bus.update(s -> s.withOutbox(size, refused));
        }
        if ((what & (CHATS | ALL_CHATS)) != 0) {
            Set<String> changed = new HashSet<>(recount);
            recount.removeAll(changed);
            List<ChatSummary> before = bus.current().chats();
            List<ChatSummary> chats;
            try {
                chats = (what & ALL_CHATS) != 0 || before.isEmpty() ? db.chatList(CHAT_LIMIT)
                        : db.chatList(CHAT_LIMIT, before, changed);
            } catch (RuntimeException e) {
                recount.addAll(changed); // counted next time, not kept stale
                throw e;
            }
            String me = bus.current().myUUID().isEmpty() ? db.accountUserUUID().orElse("") : bus.current().myUUID();
            // The account's mutes and folders are synced settings: only a setting's change or a sync (ALL_CHATS)
            // can change them, so a message's recount does not read them again.
            var prefs = (what & ALL_CHATS) != 0 ? ChatPrefs.of(db.syncedSettings()) : null;
            bus.update(s -> (prefs == null ? s : s.withChatPrefs(prefs)).withChats(chats).withAccount(s.account(), me));
            // A fresh store has no chats until the first sync: open one as soon as there are some.
            if (!bus.current().window().isOpen() && !chats.isEmpty()) openInitial(chats);
        }
    }

    private void refreshWindow() {
        AppState.ChatWindow w = bus.current().window();
        List<MessageView> slice;
        if (w.tail()) {
            // Keep what was scrolled back to, plus everything newer.
            int have = Math.max(PAGE, w.messages().size());
            long from = w.messages().isEmpty() ? 0 : w.messages().get(0).id();
            slice = db.latest(w.chat().chatUUID(), w.chat().subID(), have + 64).stream()
                    .filter(m -> m.id() >= from || from == 0).toList();
        } else {
            long lo = w.messages().isEmpty() ? 0 : w.messages().get(0).id();
            long hi = w.messages().isEmpty() ? 0 : w.messages().get(w.messages().size() - 1).id();
            slice = db.before(w.chat().chatUUID(), w.chat().subID(), hi + 1, (int) (hi - lo + 1));
        }
        List<ReadMarker> reads = db.readMarkers(w.chat().chatUUID(), w.chat().subID());
        List<PendingMessage> pending = pendingOf(w.chat());
        // A burst of new messages (a catch-up sync) can push the oldest loaded ones out of a tail's slice: then there
        // are older messages to load again, though the window had reached the chat's start.
        long firstBefore = w.messages().isEmpty() ? 0 : w.messages().get(0).id();
        boolean pushedOut = !slice.isEmpty() && slice.get(0).id() > Math.max(1, firstBefore);
        bus.update(s -> s.window().chat() != null && s.window().chat().equals(w.chat())
                ? s.withWindow(new AppState.ChatWindow(w.chat(), slice, s.window().tail(),
                s.window().hasOlder() || pushedOut, pending, reads, s.window().myReadUpTo()))
                : s);
    }

    private void run(Runnable r) {
        try {
            worker.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    errors.accept(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: nothing to show any more
        }
    }

    // ---- the live channel's events (on its worker thread: hand off at once) -------------------------------

    /** Subscribe this driver to a {@link dev.novyse.sync.LiveChannel}; it re-reads what each change touched. */
    @Override
    public void accept(ChannelEvent event) {
        if (event instanceof ChannelEvent.StatusChanged s) {
            statusChanged(s.status());
        } else if (event instanceof ChannelEvent.MessageArrived m) {
            messageArrived(m.message());
        } else if (event instanceof ChannelEvent.ChatAdded c) {
            markChat(c.chat().uuid(), 0);
        } else if (event instanceof ChannelEvent.ChatChanged c) {
            chatChanged(c.event());
        } else if (event instanceof ChannelEvent.ProfileChanged || event instanceof ChannelEvent.UserChanged) {
            // A name or handle (the account's own @handle decides the mention counts), a pin or a setting:
            // everything is counted again.
            mark(ALL_CHATS | WINDOW);
        } else if (event instanceof ChannelEvent.Synced) {
            mark(ALL_CHATS | WINDOW | OUTBOX);
        } else if (event instanceof ChannelEvent.Activity a) {
            activity(a.chatUUID(), a.userUUID(), a.action());
        } else if (event instanceof ChannelEvent.Presence p) {
            presence(p.userUUID(), p.online());
        } else if (event instanceof ChannelEvent.Problem p) {
            bus.update(s -> s.withProblem(StatusWords.plain(p.message())));
        } else if (event instanceof ChannelEvent.Stopped s) {
            // A session the server ended is said as such: the raw 401 would read as a network fault forever.
            boolean signedOut = StatusWords.signedOut(s.failure());
            bus.update(st -> st.withConnection(signedOut ? AppState.Connection.SIGNED_OUT : AppState.Connection.OFFLINE)
                    .withProblem(signedOut ? null : s.failure() == null ? st.problem() : StatusWords.plain(s.failure().getMessage())));
        }
    }

    /** No chat open (the last one is gone); the next chat the store lists opens by itself. */
    public void closeWindow() {
        run(() -> bus.update(s -> s.withWindow(AppState.ChatWindow.NONE)));
    }

    /** The account signed in again after it was signed out: a new live channel is starting (the status leaves SIGNED_OUT). */
    public void signedInAgain() {
        run(() -> bus.update(s -> s.withConnection(AppState.Connection.CONNECTING).withProblem(null)));
    }

    private void statusChanged(LiveChannel.Status status) {
        AppState.Connection c = switch (status) {
            case CONNECTING -> AppState.Connection.CONNECTING;
            case SYNCING -> AppState.Connection.SYNCING;
            case CONNECTED -> AppState.Connection.LIVE;
            case DISCONNECTED, STOPPED -> AppState.Connection.OFFLINE;
        };
        // On the driver's thread, after the reads already asked for: "live" shows once what the sync brought
        // (Synced comes just before CONNECTED) is on screen, not a frame earlier over an empty chat list.
        run(() -> bus.update(s -> s.connection() == c || s.connection() == AppState.Connection.SIGNED_OUT ? s
                : s.withConnection(c).withProblem(
                c == AppState.Connection.LIVE ? null : s.problem())));
    }

    private void messageArrived(MessageView message) {
        String sender = message.senderUUID();
        run(() -> {
            Map<String, Long> t = typing.get(message.chatUUID());
            if (t != null && t.remove(sender) != null) publishTyping();
        });
        markChat(message.chatUUID(), WINDOW | OUTBOX);
    }

    /** A read receipt, an edit, a deletion, a reaction: only that chat's counts can have changed. */
    private void chatChanged(ChatEvent event) {
        if (event.chatUUID() == null) {
            mark(ALL_CHATS | WINDOW);
        } else {
            markChat(event.chatUUID(), WINDOW);
        }
    }

    private void activity(String chatUUID, String userUUID, String action) {
        run(() -> {
            Map<String, Long> t = typing.computeIfAbsent(chatUUID, k -> new HashMap<>());
            if (action == null || action.toLowerCase().contains("stop")) {
                t.remove(userUUID);
            } else {
                t.put(userUUID, System.currentTimeMillis() + TYPING_SHOWN.toMillis());
                worker.schedule(this::expireTyping, TYPING_SHOWN.toMillis() + 50, TimeUnit.MILLISECONDS);
            }
            publishTyping();
        });
    }

    private void expireTyping() {
        long now = System.currentTimeMillis();
        boolean changed = false;
        for (Map<String, Long> t : typing.values()) changed |= t.values().removeIf(until -> until <= now);
        if (changed) publishTyping();
    }

    private void publishTyping() {
        Map<String, Set<String>> names = new HashMap<>();
        typing.forEach((chat, users) -> {
            if (users.isEmpty()) return;
            Set<String> n = new java.util.TreeSet<>();
            for (String u : users.keySet()) {
                n.add(db.user(u).map(x -> x.name() == null ? u.substring(0, Math.min(8, u.length())) : x.name())
                        .orElse("someone"));
            }
            names.put(chat, n);
        });
        bus.update(s -> s.withTyping(names));
    }

    private void presence(String userUUID, boolean isOnline) {
        run(() -> {
            if (isOnline ? online.add(userUUID) : online.remove(userUUID)) {
                Set<String> copy = Set.copyOf(online);
                bus.update(s -> s.withOnline(copy));
            }
        });
    }

    /** Waits until every queued read has run (tests, and a clean close). */
    public void drain() throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        run(done::countDown);
        done.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
