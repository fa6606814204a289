package dev.novyse.cli;

import dev.novyse.protocol.User;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ChatActions;

import java.util.List;

/**
 * Finds the person a command names: {@code @handle}, {@code handle} or the display name, as everywhere a user is
 * named. The local store answers first; someone it does not know yet is looked up on the server.
 */
final class UserResolver {
    private UserResolver() {
    }

    /** The one user {@code wanted} names, from the store, else from the server (through {@code actions}). */
    static User resolve(LocalDatabase db, ChatActions actions, String wanted) {
        List<User> found = db.findUsers(wanted);
        if (found.isEmpty()) {
            found = ServerActions.call("looking up '" + wanted + "'", () -> actions.findUsers(wanted));
        }
        return one(found, wanted, "on the server");
    }

    /** The one user {@code wanted} names in the local store (what read-only commands show). */
    static User resolveLocal(LocalDatabase db, String wanted) {
        return one(db.findUsers(wanted), wanted, "in the local store (try 'novyse sync')");
    }

    static User one(List<User> found, String wanted, String where) {
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no user '" + wanted + "' " + where);
        }
        StringBuilder sb = new StringBuilder("'" + wanted + "' names several people; use a handle:");
        for (User u : found) {
            sb.append(" @").append(u.handle()).append(" (").append(displayName(u)).append(')');
        }
        throw new CliException(ExitCodes.USAGE, sb.toString());
    }

    /** "name surname", or the name alone. */
    static String displayName(User u) {
        return u.surname() == null || u.surname().isBlank() ? u.name() : u.name() + " " + u.surname();
    }
}
