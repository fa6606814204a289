package dev.novyse.state;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable snapshot of what the UI shows. A change produces a new snapshot with a higher {@code version};
 * subscribers never see a half-applied change.
 *
 * @param chats        the chat list, pinned first, then by last activity (unread counts included)
 * @param openChat     the chat on screen, or null
 * @param window       the open chat's visible messages, oldest first
 * @param typing       chat uuid → users typing in it
 * @param online       users currently online
 * @param connection   live channel state
 * @param outboxSize   messages waiting to be delivered
 */
public record AppState(long version, List<ChatSummary> chats, OpenChat openChat, List<MessageView> window,
                       Map<String, Set<String>> typing, Set<String> online, Connection connection, int outboxSize) {
    public enum Connection { OFFLINE, CONNECTING, SYNCING, LIVE }

    /** The chat on screen and its sub-channel. */
    public record OpenChat(String chatUUID, int subID) {
    }

    public AppState {
        chats = List.copyOf(chats);
        window = List.copyOf(window);
        typing = Map.copyOf(typing);
        online = Set.copyOf(online);
    }

    public static AppState empty() {
        return new AppState(0, List.of(), null, List.of(), Map.of(), Set.of(), Connection.OFFLINE, 0);
    }

    AppState next() {
        return new AppState(version + 1, chats, openChat, window, typing, online, connection, outboxSize);
    }

    public AppState withChats(List<ChatSummary> c) {
        return new AppState(version, c, openChat, window, typing, online, connection, outboxSize);
    }

    public AppState withOpenChat(OpenChat chat, List<MessageView> w) {
        return new AppState(version, chats, chat, w, typing, online, connection, outboxSize);
    }

    public AppState withWindow(List<MessageView> w) {
        return new AppState(version, chats, openChat, w, typing, online, connection, outboxSize);
    }

    public AppState withTyping(Map<String, Set<String>> t) {
        return new AppState(version, chats, openChat, window, t, online, connection, outboxSize);
    }

    public AppState withOnline(Set<String> o) {
        return new AppState(version, chats, openChat, window, typing, o, connection, outboxSize);
    }

    public AppState withConnection(Connection c) {
        return new AppState(version, chats, openChat, window, typing, online, c, outboxSize);
    }

    public AppState withOutboxSize(int n) {
        return new AppState(version, chats, openChat, window, typing, online, connection, n);
    }

    /** Total unread messages over all chats. */
    public int unreadTotal() {
        return chats.stream().mapToInt(ChatSummary::unreadCount).sum();
    }
}
