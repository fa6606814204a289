package dev.novyse.cli;

import dev.novyse.account.AccountClient;
import dev.novyse.account.Session;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.ChatActions;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a command takes an action only the server can take (rename, leave, react, set a setting, …). Offline-first
 * holds by refusing, not by guessing: only messages and reactions are queued, so an action tried while the server is
 * unreachable ends at once with exit 4 and one line, and nothing is stored. The store learns of an accepted action
 * from the follow-up sync, never from the reply, so it holds only what the server applied (docs/architecture.md,
 * "Data flows one way").
 */
final class ServerActions {
    private ServerActions() {
    }

    /** The account's chat actions, on a store synced at least once (so chats and users can be named). */
    static ChatActions open(Session session) {
        AccountClient client = session.client();
        if (!session.db().isInitialized()) {
            refuseOffline("the first sync", () -> client.syncEngine().sync());
        }
        return client.chatActions(SharedOptions.CacheDir.defaultDir());
    }

    /** An action on one chat: calls the server and returns what was done, in words for stderr. */
    interface OnChat {
        String apply(ChatActions actions, ChatSummary chat, LocalDatabase db);
    }

    /**
     * The whole of an action on the chat {@code wanted} names: resolve it in the store, call the server, sync, and
     * say what was done on stderr.
     */
    static int onChat(NovyseCommand root, String wanted, String what, OnChat action) {
        return onChat(root, wanted, what, false, action);
    }

    /**
     * {@link #onChat(NovyseCommand, String, String, OnChat)}, with the store synced first when {@code syncFirst}:
     * an action that names something by a name the store may hold stale (a sub renamed elsewhere) and cannot be
     * undone resolves it as the server has it now. Offline: refused, exit 4.
     */
    static int onChat(NovyseCommand root, String wanted, String what, boolean syncFirst, OnChat action) {
        try (Session session = root.openSession()) {
            ChatActions actions = open(session);
            if (syncFirst) refuseOffline(what, () -> session.client().syncEngine().sync());
            ChatSummary chat = ChatResolver.resolve(session.db(), wanted);
            return done(session, call(what, () -> action.apply(actions, chat, session.db())));
        }
    }

    /**
     * An action on the account's chats as the server has them now: the store synced first (offline: refused, exit 4),
     * then the server called, synced again, and what was done said on stderr.
     */
    static int onSyncedStore(NovyseCommand root, String what, java.util.function.BiFunction<ChatActions, LocalDatabase, String> action) {
        try (Session session = root.openSession()) {
            ChatActions actions = open(session);
            refuseOffline(what, () -> session.client().syncEngine().sync());
            return done(session, call(what, () -> action.apply(actions, session.db())));
        }
    }

    /** The whole of an action on the account (profile, settings): call the server, sync, say what was done. */
    static int onAccount(NovyseCommand root, String what, Function<ChatActions, String> action) {
        try (Session session = root.openSession()) {
            ChatActions actions = open(session);
            return done(session, call(what, () -> action.apply(actions)));
        }
    }

    private static int done(Session session, String done) {
        syncQuietly(session.client(), done);
        System.err.println(done);
        return ExitCodes.OK;
    }

    /** Runs {@code call} on the server; unreachable, it is refused with exit 4 saying {@code what} was not done. */
    static <T> T call(String what, Supplier<T> call) {
        return refuseOffline(what, call);
    }

    private static <T> T refuseOffline(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.NETWORK) {
                throw new CliException(ExitCodes.NETWORK, e.getMessage() + "; " + what + " needs the server and was"
                        + " not done (only messages and reactions are queued offline)", e);
            }
            throw e;
        }
    }

    /**
     * The follow-up sync that brings what the server applied into the store. The action itself succeeded, so a
     * failing sync is a warning, not an error: the next sync brings it.
     */
    static void syncQuietly(AccountClient client, String done) {
        try {
            client.syncEngine().sync();
        } catch (ApiException e) {
            Failures.warn(done + ", but the follow-up sync failed: " + e.getMessage());
        }
    }
}
