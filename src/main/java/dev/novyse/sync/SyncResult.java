package dev.novyse.sync;

/**
 * What one {@link SyncEngine#sync()} applied. {@code pages}: replies applied (initialize + updates);
 * {@code initialized}: this run did the full initialize. Events count only those that changed something.
 */
public record SyncResult(boolean initialized, int pages, int chats, int users, int messages, int chatEvents,
                         int profileEvents, int userEvents, int removedChats, int skippedUnknownEvents) {
    static SyncResult of(boolean initialized, int pages, ApplyStats s) {
        return new SyncResult(initialized, pages, s.chats, s.users, s.messages, s.chatEvents, s.profileEvents,
                s.userEvents, s.removedChats, s.skippedUnknown);
    }
}
