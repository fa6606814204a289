package dev.novyse.tui;

import dev.novyse.protocol.Sub;
import dev.novyse.state.AppState;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.store.PinnedMessageView;
import dev.novyse.store.SubUnread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What only the screen knows: focus, selection, scroll position, the composer, the open dialog. Touched on the
 * UI thread only; everything about chats and messages comes from the latest {@link AppState}.
 */
final class UiModel {
    enum Focus { CHATS, MESSAGES, COMPOSER }

    /** One row of the chat list: a chat, or one sub of an expanded forum. */
    record ChatRow(String chatUUID, int subID, boolean isSub) {
    }

    AppState state = AppState.empty();
    Focus focus = Focus.COMPOSER;
    boolean showList = true;
    int chatRow;
    int chatListTop;
    final Set<String> expanded = new HashSet<>();
    final Map<String, List<Sub>> subs = new HashMap<>();
    /** An expanded forum's subs' counts, by forum and sub id; read with the subs, again when the forum's counts change. */
    final Map<String, Map<Integer, SubUnread>> subCounts = new HashMap<>();
    /** Lines scrolled up from the newest (0 = the bottom is visible). */
    int scroll;
    /**
     * While newer messages load below an older stretch of the chat (after a jump): the last message loaded then and
     * the lines drawn after it, so that the view stays where it was when they come ({@link Renderer}).
     */
    NewerBelow newerBelow;
    /**
     * A chat just entered whose view goes to its first unread message once its window is drawn (the "new messages"
     * line near the top), when the person had read some of it and more came than the pane shows.
     */
    AppState.OpenChat toFirstUnread;
    /**
     * More of other people's messages came into the open chat at once than the pane shows below the newest one on
     * the screen (a catch-up after time away, someone's long paste): the view goes to the first of them once its
     * window is drawn, instead of following to the newest unseen ({@link Navigator#newState}).
     */
    Arrivals arrivals;

    /** {@code seenId}: the newest message the person had on the screen when they came. */
    record Arrivals(AppState.OpenChat chat, long seenId) {
    }

    record NewerBelow(AppState.OpenChat chat, long lastId, int linesAfter, int linesDown) {
        /** {@code lines} more to scroll down once they came: a PageDown pressed while they are on the way. */
        NewerBelow down(int lines) {
            return new NewerBelow(chat, lastId, linesAfter, linesDown + lines);
        }
    }
    Long selected;
    /** The selection moved since the last frame: scroll it into view once (then the user may scroll away). */
    boolean selectionMoved;
    /**
     * The chat the selected message is in: ids repeat across chats, so a jump's selection must not be scrolled to in
     * the window of the chat being left, which the screen still shows until the new one is read.
     */
    AppState.OpenChat selectionIn;
    /** The account's "@handle" in lower case, for highlighting mentions. */
    String mention;
    final Composer composer = new Composer();
    /** Replying to or editing this message (null: a new message). */
    MessageView replyTo;
    MessageView editing;
    /** A chat the person is leaving from this screen ({@code /leave}): when it goes from the list, it is said as theirs. */
    String leaving;
    /** The last chat, gone, while its window closes: nothing is entered in it or sent to it ({@link GoneChat}). */
    String goneChat;
    /**
     * Drafts kept in chats the account is no longer in (not the open one), by chat uuid: said when found, printed on
     * quitting, forgotten if the chat comes back (its draft comes back with it).
     */
    final Map<String, StrandedDraft> strandedDrafts = new java.util.LinkedHashMap<>();

    record StrandedDraft(String chatName, String text) {
    }
    /** The account's rights in the chat {@link #rightsIn}, as its roles there list them; null while not known. */
    Set<String> rights;
    String rightsIn;
    Overlay overlay;
    String flash;
    boolean flashAlert;
    long flashUntil;
    boolean quit;
    /** The chat list and the open chat are read from the store: no frame before, so no flash of "no chats yet". */
    boolean loaded;
    /** Redraw every cell on the next frame (Ctrl-L, after a resize). */
    boolean fullRedraw;
    /** Widths in the last frame: the chat list (0 when hidden) and the message pane. */
    int listWidth;
    int paneWidth = 80;
    /** The last read watermark asked for, per chat/sub, so a frame does not ask twice. */
    final Map<String, Long> markedRead = new HashMap<>();

    void flash(String message, boolean alert) {
        flash = message;
        flashAlert = alert;
        flashUntil = System.currentTimeMillis() + (alert ? 6000 : 3000);
        said.addFirst(SAID_TIME.format(java.time.LocalTime.now()) + "  " + message);
        if (said.size() > SAID_KEPT) said.removeLast();
    }

    private static final java.time.format.DateTimeFormatter SAID_TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
    /** How many status messages {@code /log} shows back. */
    static final int SAID_KEPT = 200;
    /** The status messages said this session, newest first: one cut on the bar, or gone before it was read, is here. */
    final java.util.ArrayDeque<String> said = new java.util.ArrayDeque<>();

    /** Takes {@code message} off the status bar if it is still the one shown (what it offered no longer applies). */
    void unflash(String message) {
        if (message.equals(flash)) flashUntil = 0;
    }

    /**
     * Whether the account's roles in {@code chatUUID} grant {@code right} (as the server names it: SEND, DELETE_ANY,
     * …); true while they are not known, the server deciding then ({@link ChatRights}).
     */
    boolean may(String chatUUID, String right) {
        return rights == null || !chatUUID.equals(rightsIn) || rights.contains(right);
    }

    /** The chat with this id in the list, or null. */
    ChatSummary chat(String chatUUID) {
        for (ChatSummary c : state.chats()) if (c.uuid().equals(chatUUID)) return c;
        return null;
    }

    /** The chat list by id, for looking up many rows. */
    Map<String, ChatSummary> chatsById() {
        Map<String, ChatSummary> byId = new HashMap<>();
        for (ChatSummary c : state.chats()) byId.put(c.uuid(), c);
        return byId;
    }

    /** A forum sub's name as listed; before the list is read, sub 0 is "general" and others "sub N". */
    String subName(String chatUUID, int subID) {
        for (Sub s : subs.getOrDefault(chatUUID, List.of())) {
            if (s.id() == subID) return s.name() == null ? "sub " + s.id() : s.name();
        }
        return subID == 0 ? "general" : "sub " + subID;
    }

    /** A sub's unread and mention counts as last read; null before they were. */
    SubUnread subCount(ChatRow r) {
        return subCounts.getOrDefault(r.chatUUID(), Map.of()).get(r.subID());
    }

    List<ChatRow> chatRows() {
        List<ChatRow> rows = new ArrayList<>();
        for (var c : state.chats()) {
            rows.add(new ChatRow(c.uuid(), 0, false));
            if ("FORUM".equals(c.type()) && expanded.contains(c.uuid())) {
                for (Sub s : subs.getOrDefault(c.uuid(), List.of())) rows.add(new ChatRow(c.uuid(), s.id(), true));
            }
        }
        return rows;
    }

    /** Dialogs drawn over the screen; each takes the keys while it is open. */
    sealed interface Overlay permits Help, Search, Switcher, Pins, Members, Profile, React, Confirm, Prompt {
    }

    /** The key list; {@code top} is its first visible line when the window is too short to show it all. */
    static final class Help implements Overlay {
        /** Lines to show instead of the keys: the status messages of {@code /log}; null for the keys. */
        final List<String> log;
        int top;

        Help() {
            this(null);
        }

        Help(List<String> log) {
            this.log = log;
        }

        /** The rows the help showed last (a page for PageUp and PageDown). */
        int page = 10;
    }

    static final class Search implements Overlay {
        final Composer query = new Composer();
        List<MessageView> results = List.of();
        int selected;
        /** The first hit shown: the list scrolls to keep {@code selected} in view. */
        int top;
        String searchedFor = "";
        Map<String, String> chatTitles = Map.of();
        /** Non-null when this is the favourites list: what it lists, filtered as the query is typed. */
        List<MessageView> favorites;
    }

    /** The chat switcher: the chats (and forums' subs) matching what is typed, best first ({@link ChatSwitcher}). */
    static final class Switcher implements Overlay {
        final Composer query = new Composer();
        /** Each forum's subs with their counts, as they are read after the dialog opened. */
        final Map<String, List<ChatFilter.ForumSub>> subs = new HashMap<>();
        List<ChatFilter.Choice> shown = List.of();
        int selected;
        /** The first choice shown: the list scrolls to keep {@code selected} in view. */
        int top;
        /** Opened by {@code /open TEXT}: once every forum's subs are read, a single match is opened at once. */
        boolean openSingle;
        int forumsToRead;
    }

    /** {@code /members}: the open chat's members with their role, scrolled by the arrows. */
    static final class Members implements Overlay {
        final List<dev.novyse.store.MemberView> members;
        int selected;

        Members(List<dev.novyse.store.MemberView> members) {
            this.members = members;
        }
    }

    /** A person's profile ({@code /profile}, Enter in {@code /members}), as lines of text. */
    record Profile(List<String> lines) implements Overlay {
    }

    static final class Pins implements Overlay {
        final List<PinnedMessageView> pins;
        int selected;

        Pins(List<PinnedMessageView> pins) {
            this.pins = pins;
        }
    }

    static final class React implements Overlay {
        static final List<String> QUICK = List.of("👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀");
        final MessageView target;
        final Composer custom = new Composer();

        React(MessageView target) {
            this.target = target;
        }
    }

    record Confirm(String question, Runnable yes) implements Overlay {
    }

    /** A one-line question (join by handle, save a file to a path). */
    static final class Prompt implements Overlay {
        final String question;
        final Composer answer = new Composer();
        final java.util.function.Consumer<String> done;
        /** The answer is a path: Tab completes it from the folder's listing. */
        boolean path;

        Prompt(String question, String initial, java.util.function.Consumer<String> done) {
            this.question = question;
            this.done = done;
            answer.set(initial);
        }

        static Prompt forPath(String question, String initial, java.util.function.Consumer<String> done) {
            Prompt p = new Prompt(question, initial, done);
            p.path = true;
            return p;
        }
    }
}
