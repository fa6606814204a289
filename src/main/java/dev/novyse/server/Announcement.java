package dev.novyse.server;

import java.util.Collection;
import java.util.List;

/**
 * One live event to some users, registered inside the write transaction that made the change it tells of
 * ({@link ServerDatabase#announce}). {@code scope} is what orders it: the chat it happened in, or the user whose own
 * data changed. Events of one scope reach every socket in commit order, on every server process (on PostgreSQL each
 * carries its scope's next number, see {@link LiveFrames}).
 */
record Announcement(String scope, List<String> to, String event, Object payload) {
    Announcement {
        to = List.copyOf(to);
    }

    /** A change in {@code chat}, told to {@code to}. */
    static Announcement inChat(String chat, Collection<String> to, String event, Object payload) {
        return new Announcement("chat:" + chat, List.copyOf(to), event, payload);
    }

    /** A change to {@code user}'s own data (profile, settings, favourites), told to {@code to}. */
    static Announcement ofUser(String user, Collection<String> to, String event, Object payload) {
        return new Announcement("user:" + user, List.copyOf(to), event, payload);
    }
}
