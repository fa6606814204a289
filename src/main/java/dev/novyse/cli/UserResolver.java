package dev.novyse.cli;

import dev.novyse.protocol.User;
import dev.novyse.state.People;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ChatActions;

import java.util.List;

/**
 * {@link People} for commands: the person a command names, or exit 2 ({@link ExitCodes#USAGE}) with the sentence
 * saying why nobody, or who the several are.
 */
final class UserResolver {
    private UserResolver() {
    }

    /** The one user {@code wanted} names, from the store, else from the server (through {@code actions}). */
    static User resolve(LocalDatabase db, ChatActions actions, String wanted) {
        try {
            return People.resolve(db::findUsers,
                    w -> ServerActions.call("looking up '" + w + "'", () -> actions.findUsers(w)), wanted);
        } catch (People.NotOnePerson e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The one user {@code wanted} names in the local store (what read-only commands show). */
    static User resolveLocal(LocalDatabase db, String wanted) {
        return one(db.findUsers(wanted), wanted, "in the local store (try 'novyse sync')");
    }

    static User one(List<User> found, String wanted, String where) {
        try {
            return People.one(found, wanted, where);
        } catch (People.NotOnePerson e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
