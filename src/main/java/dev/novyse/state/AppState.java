package dev.novyse.state;

import dev.novyse.store.ChatPrefs;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.store.PendingMessage;
import dev.novyse.store.ReadMarker;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable snapshot of what the UI shows. A change produces a new snapshot with a higher {@code version};
 * subscribers never see a half-applied change.
 *
 * @param account      the account's display label (user@server)
 * @param myUUID       the account's user uuid ("" before the first sync)
 * @param chats        the chat list, pinned first, then by last activity (unread and mention counts included)
 * @param window       the open chat's messages, or {@link ChatWindow#NONE}
 * @param typing       chat uuid → display names of people typing in it now
 * @param online       user uuids currently online
 * @param connection   live channel state
 * @param problem      the last problem being retried (one line), or null once things work again
 * @param outboxSize   messages waiting to be delivered (all chats)
 * @param refusedSize  messages the server refused, kept in the outbox until retried or dropped (all chats)
 * @param chatPrefs    chat uuid → the account's mute and folder for it (synced settings; chats without any absent)
 */
public record AppState(long version, String account, String myUUID, List<ChatSummary> chats, ChatWindow window,
                       Map<String, Set<String>> typing, Set<String> online, Connection connection, String problem,
                       int outboxSize, int refusedSize, Map<String, ChatPrefs> chatPrefs) {
    /** SIGNED_OUT: the server ended the session; nothing reconnects until the account signs in again. */
    public enum Connection { OFFLINE, CONNECTING, SYNCING, LIVE, SIGNED_OUT }

    /** The chat on screen and its sub-channel. */
    public record OpenChat(String chatUUID, int subID) {
    }

    /**
     * The open chat's loaded slice, oldest first. {@code tail}: the slice ends at the newest message (new ones are
     * appended as they arrive); false after jumping back to a search result. {@code hasOlder}: scrolling up may load
     * more. {@code pending}: the account's undelivered messages in this sub. {@code reads}: members' read watermarks.
     * {@code myReadUpTo}: the account's own watermark when the chat was opened (the "new messages" line sits there).
     */
    public record ChatWindow(OpenChat chat, List<MessageView> messages, boolean tail, boolean hasOlder,
                             List<PendingMessage> pending, List<ReadMarker> reads, long myReadUpTo) {
        public static final ChatWindow NONE = new ChatWindow(null, List.of(), true, false, List.of(), List.of(), 0);

        public ChatWindow {
            messages = List.copyOf(messages);
            pending = List.copyOf(pending);
            reads = List.copyOf(reads);
        }

        public boolean isOpen() {
            return chat != null;
        }
    }

    public AppState {
        chats = List.copyOf(chats);
        typing = Map.copyOf(typing);
        online = Set.copyOf(online);
        chatPrefs = chatPrefs == null ? Map.of() : Map.copyOf(chatPrefs);
        window = window == null ? ChatWindow.NONE : window;
    }

    public static AppState empty() {
        return new AppState(0, "", "", List.of(), ChatWindow.NONE, Map.of(), Set.of(), Connection.OFFLINE, null, 0, 0, Map.of());
    }

    AppState next() {
        return new AppState(version + 1, account, myUUID, chats, window, typing, online, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withAccount(String label, String uuid) {
        return new AppState(version, label, uuid, chats, window, typing, online, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withChats(List<ChatSummary> c) {
        return new AppState(version, account, myUUID, c, window, typing, online, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withWindow(ChatWindow w) {
        return new AppState(version, account, myUUID, chats, w, typing, online, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withTyping(Map<String, Set<String>> t) {
        return new AppState(version, account, myUUID, chats, window, t, online, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withOnline(Set<String> o) {
        return new AppState(version, account, myUUID, chats, window, typing, o, connection, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withConnection(Connection c) {
        return new AppState(version, account, myUUID, chats, window, typing, online, c, problem, outboxSize, refusedSize, chatPrefs);
    }

    public AppState withProblem(String p) {
        return new AppState(version, account, myUUID, chats, window, typing, online, connection, p, outboxSize, refusedSize, chatPrefs);
    }

    /** The outbox's counts: {@code waiting} to be delivered, {@code refused} by the server (kept until retried or dropped). */
    public AppState withOutbox(int waiting, int refused) {
        return new AppState(version, account, myUUID, chats, window, typing, online, connection, problem, waiting, refused, chatPrefs);
    }

    public AppState withChatPrefs(Map<String, ChatPrefs> p) {
        return new AppState(version, account, myUUID, chats, window, typing, online, connection, problem, outboxSize, refusedSize, p);
    }

    /** Whether the account muted {@code chatUUID} (and the mute has not run out). */
    public boolean muted(String chatUUID, java.time.Instant now) {
        ChatPrefs p = chatPrefs.get(chatUUID);
        return p != null && p.muted(now);
    }

    /** Total unread messages over all chats. */
    public int unreadTotal() {
        return chats.stream().mapToInt(ChatSummary::unreadCount).sum();
    }
}
