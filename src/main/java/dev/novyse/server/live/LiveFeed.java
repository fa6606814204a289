package dev.novyse.server.live;

import java.util.Collection;

/**
 * Where changes are announced live. The server's services call it for stored changes only from
 * {@code ServerDatabase.announce} (after the commit, in commit order, on the announcing thread), so nothing is
 * announced that could still roll back; presence and typing, which are not stored, come from the gateway's own
 * threads. It lives here, beside its implementation {@link LiveGateway}, so that the services depend on the live
 * layer and the live layer knows nothing of them.
 */
public interface LiveFeed {
    void toUsers(Collection<String> userUUIDs, String event, Object payload);
}
