package dev.novyse.account;

/**
 * An account that cannot be used as asked, with a one-line message for the person: the front end decides what it
 * means for them (the CLI maps each {@link Kind} to its documented exit code).
 */
public final class AccountException extends RuntimeException {
    public enum Kind {
        /** No such account, none signed in, credentials unreadable, or a store without a session. */
        NOT_SIGNED_IN,
        /** The account asked for is not one account: ambiguous, or several and none chosen. */
        AMBIGUOUS,
        /** An account's files cannot be read or written. */
        FILES
    }

    private final Kind kind;

    public AccountException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
