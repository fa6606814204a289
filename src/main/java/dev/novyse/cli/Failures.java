package dev.novyse.cli;

import dev.novyse.account.AccountException;
import dev.novyse.store.StoreException;
import dev.novyse.sync.ApiException;
import picocli.CommandLine;

/**
 * Turns any failure of a command into one line on stderr and its documented exit code. Stack traces only with
 * {@code --verbose}: stdout stays clean for pipes either way.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** What every diagnostic line on stderr starts with. */
    private static final String PREFIX = "novyse: ";
    /** The way out of a store that cannot be used (README, "A store that cannot be opened"). */
    static final String REBUILD_HINT = "; 'novyse sync --rebuild' moves it aside and syncs a fresh store,"
            + " keeping the sign-in and the outbox";

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        return report(e, cl.getErr(), isVerbose(cl));
    }

    /**
     * A usage error, in one line as every other failure: what is wrong, a suggestion when picocli has one, and where
     * the usage is. Picocli's own handler printed the whole usage after the message (19 lines for 'chats --bogus',
     * 85 for an unknown option of the root's), and said "Unmatched argument at index 0" for a mistyped command.
     */
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String message = e.getMessage();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            if (!u.isUnknownOption() && !u.getUnmatched().isEmpty()) {
                message = cl.getSubcommands().isEmpty() ? "unexpected argument '" + u.getUnmatched().get(0) + "'"
                        : "'" + u.getUnmatched().get(0) + "' is not a command of " + cl.getCommandSpec().qualifiedName();
            }
            java.util.List<String> suggestions = u.getSuggestions().stream()
                    .map(s -> s.startsWith("-") ? s : cl.getCommandSpec().qualifiedName() + " " + s).toList();
            if (!suggestions.isEmpty()) hint = "; did you mean " + String.join(" or ", suggestions) + "?";
        }
        cl.getErr().println(PREFIX + message + hint + " ('" + cl.getCommandSpec().qualifiedName()
                + " --help' shows the usage)");
        cl.getErr().flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The one line on {@code err} (and the stack trace when {@code verbose}); returns the exit code. */
    static int report(Exception e, java.io.PrintWriter err, boolean verbose) {
        int code;
        String message;
        if (e instanceof CliException ce) {
            code = ce.exitCode();
            message = ce.getMessage();
        } else if (e instanceof AccountException ae) {
            code = exitCode(ae);
            message = ae.getMessage();
        } else if (e instanceof ApiException ae) {
            code = exitCode(ae);
            message = verbose ? ae.getMessage() : ae.sentence(); // the request, code and status with --verbose
        } else if (e instanceof StoreException se) {
            code = ExitCodes.DATA;
            message = "local store: " + se.getMessage() + (se.unusable() ? REBUILD_HINT : "");
        } else if (e instanceof java.io.UncheckedIOException io) {
            code = ExitCodes.DATA; // a local file (cache, download target) could not be written
            message = io.getMessage();
        } else if (e instanceof java.io.IOException io) {
            code = ExitCodes.DATA; // the same, thrown as it is
            message = (io instanceof java.nio.file.FileSystemException fs && fs.getFile() != null ? fs.getFile() + ": "
                    : "a local file: ") + dev.novyse.io.IoWords.of(io);
        } else {
            code = ExitCodes.INTERNAL;
            // A bug: its exception's class and text are the program's internals, which --verbose prints in full.
            message = "internal error, a bug in novyse" + (verbose ? ":" : " (run it again with --verbose and report"
                    + " what it prints)");
        }
        err.println(PREFIX + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** A problem the command goes on after (or ends with another exit code): one line on stderr, as failures read. */
    static void warn(String message) {
        System.err.println(PREFIX + oneLine(message));
    }

    /**
     * {@code message} as one line a terminal shows as written: line breaks and tabs become spaces, other control
     * characters '?' (a message's text, a file's name or a server's words could carry an escape sequence).
     */
    static String oneLine(String message) {
        if (message == null) return "";
        StringBuilder b = new StringBuilder(message.length());
        message.codePoints().forEach(c -> b.appendCodePoint(c == '\n' || c == '\r' || c == '\t' ? ' '
                : Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    static int exitCode(ApiException e) {
        return switch (e.kind()) {
            case NETWORK -> ExitCodes.NETWORK;
            case BAD_REPLY -> ExitCodes.SERVER;
            case HTTP -> e.status() == 401 ? ExitCodes.AUTH : ExitCodes.SERVER;
        };
    }

    static int exitCode(AccountException e) {
        return switch (e.kind()) {
            case NOT_SIGNED_IN -> ExitCodes.AUTH;
            case AMBIGUOUS -> ExitCodes.USAGE;
            case FILES -> ExitCodes.DATA;
        };
    }

    private static boolean isVerbose(CommandLine cl) {
        CommandLine top = cl;
        while (top.getParent() != null) {
            top = top.getParent();
        }
        return top.getCommand() instanceof NovyseCommand root && root.verbose;
    }
}
