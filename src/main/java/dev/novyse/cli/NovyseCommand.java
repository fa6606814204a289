package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.account.Session;
import dev.novyse.account.XdgDirs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The root command: its options and what the subcommands read through them. Its subcommands are declared on
 * {@link NovyseCommandTree}; a command line that names one of them gets a tree of just the root and that one
 * ({@link #commandLine}).
 */
@Command(name = "novyse", versionProvider = NovyseCommand.Version.class,
        description = {"Offline-first terminal client and server for the Novyse chat protocol.",
                "Without a command: the full-screen chat of the chosen account (F1 there lists every key)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Success.", "1:Internal error (a bug; run with --verbose and report it).",
                "2:Usage error: bad option or argument, unknown chat or user.",
                "3:Authentication: not signed in, wrong password, session ended.",
                "4:Network: the server could not be reached; an action other than send was not done (only messages and reactions queue offline).",
                "5:Server: the server refused the request or sent an unreadable reply.",
                "6:Local data: the store is locked, full, damaged, read-only or from a newer version (way out: sync --rebuild).",
                "7:send, outbox retry, message react/unreact: queued, not delivered yet (the next sync sends it)."},
        footerHeading = "%nEnvironment, files and examples:%n",
        footer = {"  NOVYSE_SERVER, NOVYSE_ACCOUNT, NOVYSE_DATA_DIR",
                "      defaults for --server, --account, --data-dir",
                "  XDG_DATA_HOME, XDG_CONFIG_HOME",
                "      base directories (default ~/.local/share, ~/.config)",
                "  $XDG_CONFIG_HOME/novyse/config",
                "      'key = value' lines: server, account, data-dir",
                "  $XDG_DATA_HOME/novyse/accounts/*/store.db",
                "      each account's SQLite store (0600)",
                "  $XDG_DATA_HOME/novyse/accounts/*/credentials.json",
                "      session secret and token (0600)",
                "Precedence: command-line flag, then environment variable, then config file.",
                "",
                "  novyse export --format jsonl | jq -r 'select(.deleted | not) | .content'",
                "  novyse export --chat @team --since 2026-01-01T00:00:00Z --format text",
                "  novyse chats --format jsonl | jq -r 'select(.unread > 0) | .title'",
                "  uptime | novyse send @ops -",
                "  novyse send @mara 'lunch?'    (a DM, by the person's handle or name)",
                "  novyse send @team 'the report' --file report.pdf",
                "  novyse file get @team/42 -o ."})
public class NovyseCommand implements Callable<Integer> {
    public static final String VERSION = "0.1.0";

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Server base URL (default http://127.0.0.1:8080; env NOVYSE_SERVER, config key server) for"
                    + " signup, login and --api-key-file; a signed-in account keeps its own.")
    String server;

    @Option(names = "--account", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Account to use: username or username@host_port (env NOVYSE_ACCOUNT, config key account).")
    String account;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Data directory (env NOVYSE_DATA_DIR, config key data-dir; default $XDG_DATA_HOME/novyse).")
    Path dataDir;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    /** On every command and subcommand ({@code novyse chat members --help}), as picocli's standard one is not. */
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"novyse " + VERSION};
        }
    }

    /** Without a subcommand: the full-screen chat for the chosen account. */
    @Override
    public Integer call() throws Exception {
        return TuiLauncher.open(this);
    }

    private Config config;

    Config config() {
        if (config == null) {
            config = Config.load();
            // A loop, not Failures::warn: see ParsedByTheWholeTree (a lambda's target class is linked by the dump).
            for (String unknown : config.unknown()) Failures.warn(unknown);
        }
        return config;
    }

    /** Flag, then environment, then the config file, then the default. */
    String serverUrl() {
        String s = config().pick(server, "NOVYSE_SERVER", "server");
        s = s == null || s.isBlank() ? "http://127.0.0.1:8080" : s.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new CliException(ExitCodes.USAGE, "server URL must start with http:// or https://: " + s);
        }
        return s;
    }

    String accountName() {
        return config().pick(account, "NOVYSE_ACCOUNT", "account");
    }

    Path dataRoot() {
        String picked = config().pick(dataDir == null ? null : dataDir.toString(), "NOVYSE_DATA_DIR", "data-dir");
        Path root = picked != null ? Path.of(picked).toAbsolutePath() : XdgDirs.dataHome();
        if (java.nio.file.Files.exists(root) && !java.nio.file.Files.isDirectory(root)) {
            throw new CliException(ExitCodes.USAGE, "the data directory " + root + " is a file, not a folder"
                    + " (--data-dir, NOVYSE_DATA_DIR or the config's data-dir)");
        }
        return root;
    }

    Accounts accounts() {
        return new Accounts(dataRoot());
    }

    /** The chosen account (--account, else the default), opened for a command. */
    Session openSession() {
        return Session.open(accounts(), accountName());
    }

    /**
     * The command tree to run {@code args} with. Picocli reads every command's annotations when it builds a tree, and
     * the whole tree of {@link NovyseCommandTree} took 125-140 ms of a one-shot command's start on a cold JVM (against
     * about 50 ms for one command): a command line that names a subcommand gets the root with that one only, and
     * {@code --version} the bare root. Anything else (help, a typo, no subcommand) gets the whole tree, whose errors
     * and listings need every command; so does a line whose error is in the root's own options, which the smaller
     * tree would answer with a usage listing one command.
     */
    static CommandLine commandLine(String... args) {
        return commandLine(namedSubcommand(args), args);
    }

    /** {@link #commandLine(String...)} for a line whose {@link #namedSubcommand} the caller already looked up. */
    static CommandLine commandLine(Class<?> named, String... args) {
        boolean version = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        if (named == null && !version) return wholeTree();
        CommandLine lean = new CommandLine(new NovyseCommand());
        if (named != null) lean.addSubcommand(named);
        lean.setParameterExceptionHandler(new ParsedByTheWholeTree(lean, configured(lean)));
        return lean;
    }

    /**
     * Nothing has run when the line cannot be parsed: the whole tree parses it again and reports it. A class, not a
     * lambda: picocli's handler interfaces are of an old class file version, and the launcher's archive dump leaves
     * out such an interface when a lambda links it, and with it every class that implements it (each then loaded
     * from the jar on every start).
     */
    private record ParsedByTheWholeTree(CommandLine lean, Failures failures)
            implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] line) throws Exception {
            if (e.getCommandLine() != lean) return failures.handleParseException(e, line);
            CommandLine whole = wholeTree();
            whole.setOut(lean.getOut()); // where the caller pointed them (tests capture them)
            whole.setErr(lean.getErr());
            return whole.execute(line);
        }
    }

    private static CommandLine wholeTree() {
        CommandLine whole = new CommandLine(new NovyseCommandTree());
        whole.setParameterExceptionHandler(configured(whole));
        return whole;
    }

    /**
     * What both trees share, set once their commands are added (picocli hands settings down to those it has): failures
     * as one line each, and "@bob" a person's handle, never picocli's file of arguments (with a file or folder named
     * bob in the working directory, 'send @bob hi' went to whoever the file named, or failed with a stack trace).
     */
    private static Failures configured(CommandLine cl) {
        cl.setExpandAtFiles(false);
        Failures failures = new Failures();
        cl.setExecutionExceptionHandler(failures);
        return failures;
    }

    /** The root's options that take a value (in their own argument unless written as {@code --name=value}). */
    private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("--server", "--account", "--data-dir");

    /**
     * The subcommand {@code args} name after the root's own options, or null when there is none, when anything else
     * comes first, when it is {@code help} (which lists the others), or when a root option's value is a command's
     * name (picocli refuses that on the whole tree, as the value is more likely a forgotten one).
     */
    static Class<?> namedSubcommand(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (VALUE_OPTIONS.contains(a)) {
                if (++i < args.length && command(args[i]) != null) return null;
            } else if (eq > 0 && VALUE_OPTIONS.contains(a.substring(0, eq))) {
                if (command(a.substring(eq + 1)) != null) return null;
            } else if (!a.equals("--verbose")) {
                Class<?> c = a.startsWith("-") ? null : command(a);
                return c == HelpCommand.class ? null : c;
            }
        }
        return null;
    }

    /** The subcommand of the whole tree named (or aliased) {@code name}, else null. */
    private static Class<?> command(String name) {
        for (Class<?> c : NovyseCommandTree.commands()) {
            Command command = c.getAnnotation(Command.class);
            if (command.name().equals(name) || java.util.Arrays.asList(command.aliases()).contains(name)) return c;
        }
        return null;
    }
}
