package dev.novyse.sync;

import dev.novyse.protocol.UpdateRequest;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MemberView;
import dev.novyse.store.MessageView;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides which stored messages the live channel reports as {@link ChannelEvent.MessageArrived}: per (chat, sub),
 * everything above the highest id reported so far, read back from the store. What the store held when the channel
 * started, and what its first sync (the baseline) brought, is not news. Worker thread only.
 */
final class MessageReporter {
    private static final int REPORT_CHUNK = 500;

    private final LocalDatabase db;
    private final Consumer<ChannelEvent> publish;
    private final Map<String, Long> reported = new HashMap<>();
    private boolean baselined;

    MessageReporter(LocalDatabase db, Consumer<ChannelEvent> publish) {
        this.db = db;
        this.publish = publish;
    }

    /** The highest message id stored in a (chat, sub), 0 for none. */
    static long newestStored(LocalDatabase db, String chat, int sub) {
        return db.subCursors(chat).stream().filter(c -> c.subID() == sub)
                .mapToLong(UpdateRequest.SubCursor::messageID).max().orElse(0);
    }

    private static String key(String chat, int sub) {
        return chat + '\u0000' + sub;
    }

    /** "Now": what the store holds at start is not reported. */
    void markStored() {
        for (UpdateRequest.ChatCursor c : db.updateRequest().chats()) {
            for (UpdateRequest.SubCursor s : c.subs()) reported.put(key(c.chatUUID(), s.subID()), s.messageID());
        }
    }

    /**
     * After a successful sync: reports every message of every sub above what was reported. The first sync (the
     * baseline) only moves the marks. A chat or sub first seen after the baseline is reported from the account's
     * joining of the chat. Returns whether this was the baseline.
     */
    boolean afterSync() {
        boolean baseline = !baselined;
        baselined = true;
        for (UpdateRequest.ChatCursor c : db.updateRequest().chats()) {
            for (UpdateRequest.SubCursor s : c.subs()) {
                String k = key(c.chatUUID(), s.subID());
                if (baseline) {
                    reported.merge(k, s.messageID(), Math::max);
                } else {
                    report(c.chatUUID(), s.subID(), s.messageID(), -1);
                }
            }
        }
        return baseline;
    }

    /** After a live message: report it and anything below it not reported yet (another writer may have stored it). */
    void afterLiveMessage(String chat, int sub, long liveId) {
        long cursor = newestStored(db, chat, sub);
        if (!baselined && !reported.containsKey(key(chat, sub))) {
            reported.put(key(chat, sub), cursor); // before the first sync, unknown subs are part of the baseline
            return;
        }
        report(chat, sub, cursor, liveId);
    }

    private void report(String chat, int sub, long upTo, long liveId) {
        String k = key(chat, sub);
        // A chat or sub first seen now: what was written before the account joined the chat is history, not news.
        Instant joined = reported.containsKey(k) ? null : joinedAt(chat);
        long from = reported.getOrDefault(k, 0L);
        while (from < upTo) {
            long to = Math.min(upTo, from + REPORT_CHUNK);
            for (MessageView m : db.before(chat, sub, to + 1, (int) (to - from))) {
                if (m.id() <= from || (joined != null && before(m.createdAt(), joined))) continue;
                LiveChannel.Source source = m.id() == liveId ? LiveChannel.Source.LIVE : LiveChannel.Source.SYNC;
                publish.accept(new ChannelEvent.MessageArrived(m, source));
            }
            from = to;
            reported.put(k, to);
        }
    }

    private Instant joinedAt(String chat) {
        String me = db.accountUserUUID().orElse(null);
        for (MemberView m : db.members(chat)) {
            if (m.userUUID().equals(me) && m.joinedAt() != null) {
                try {
                    return Instant.parse(m.joinedAt());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean before(String createdAt, Instant joined) {
        try {
            return createdAt != null && Instant.parse(createdAt).isBefore(joined);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
