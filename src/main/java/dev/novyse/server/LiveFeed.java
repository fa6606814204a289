package dev.novyse.server;

import java.util.Collection;

/**
 * Where changes are announced live. Services call it for stored changes only from {@link ServerDatabase#announce}
 * (after the commit, in commit order, on the announcing thread), so nothing is announced that could still roll
 * back; presence and typing, which are not stored, come from the live gateway's own threads.
 */
public interface LiveFeed {
    void toUsers(Collection<String> userUUIDs, String event, Object payload);

    LiveFeed NONE = (users, event, payload) -> { };
}
