package dev.novyse.server;

import java.util.Collection;

/**
 * Where committed changes are announced live. Services call it only from {@link ServerDatabase#afterCommit},
 * so nothing is announced that could still roll back.
 */
public interface LiveFeed {
    void toUsers(Collection<String> userUUIDs, String event, Object payload);

    LiveFeed NONE = (users, event, payload) -> { };
}
