package dev.novyse.tui;

import dev.novyse.state.AppState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The commands typed in the composer ({@code /join @handle}, {@code /dm @user}, {@code /group NAME @a @b}, …):
 * the help dialog lists them. Those that make or join a chat open it once the server has answered.
 */
final class SlashCommands {
    /** The commands' names, as Tab completes them ({@link Completion}); {@link #run} knows each. */
    static final List<String> NAMES = java.util.stream.Stream.concat(Stream.of("attach", "channel", "dm", "edit",
            "drop", "favorites", "forum", "group", "help", "join", "log", "members", "open", "pins", "profile", "quit", "read",
            "retry", "search"),
            ChatAdminCommands.NAMES.stream()).sorted().toList();

    private final UiModel m;
    private final Navigator nav;
    private final Dialogs dialogs;
    private final SearchDialog search;
    private final ChatSwitcher switcher;
    private final ExternalEditor editor;
    private final FileTransfers files;
    private final ReadReporter readReporter;
    private final ServerCalls calls;
    private final ChatAdminCommands admin;
    private final UnsentMessages unsent;

    SlashCommands(UiModel m, Navigator nav, Dialogs dialogs, SearchDialog search, ChatSwitcher switcher,
                  ExternalEditor editor, FileTransfers files, ReadReporter readReporter, ServerCalls calls,
                  ChatAdminCommands admin, UnsentMessages unsent) {
        this.m = m;
        this.nav = nav;
        this.dialogs = dialogs;
        this.search = search;
        this.switcher = switcher;
        this.editor = editor;
        this.files = files;
        this.readReporter = readReporter;
        this.calls = calls;
        this.admin = admin;
        this.unsent = unsent;
    }

    /** The names {@link #run} knows besides {@link #NAMES}. */
    private static final List<String> ALIASES = List.of("q", "favourites", "starred");

    /** The commands that take nothing after their name: words there are a mistake, not something to throw away. */
    private static final List<String> BARE = List.of("drop", "favorites", "favourites", "help", "log", "members", "pins", "q",
            "quit", "read", "retry", "starred");

    /**
     * Whether {@code line} (which starts with the slash) names a command {@link #run} knows and can take as it is: a
     * command that takes nothing with words after it is not (the text stays, {@link #run} says why).
     */
    boolean knows(String line) {
        String cmd = name(line);
        return (NAMES.contains(cmd) || ALIASES.contains(cmd)) && !strayWords(line);
    }

    private static boolean strayWords(String line) {
        String[] parts = line.substring(1).trim().split("\\s+", 2);
        return BARE.contains(name(line)) && parts.length > 1;
    }

    private static String name(String line) {
        return line.substring(1).trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
    }

    /** Runs {@code line}, which starts with the slash. */
    void run(String line) {
        String[] parts = line.substring(1).trim().split("\\s+");
        String cmd = name(line);
        if (strayWords(line)) {
            m.flash("/" + cmd + " takes nothing after it; the text stays (// at the start sends it as a message)", true);
            return;
        }
        List<String> args = Arrays.asList(parts).subList(1, parts.length);
        String rest = line.substring(1).trim().substring(parts[0].length()).trim();
        switch (cmd) {
            case "quit", "q" -> m.quit = true;
            case "help" -> dialogs.openHelp();
            case "log" -> dialogs.openLog();
            case "search" -> search.open(rest);
            case "open" -> switcher.open(rest, true);
            case "edit" -> { // the words after /edit are the draft the editor starts from
                m.composer.set(rest);
                editor.edit();
            }
            case "pins" -> dialogs.openPins();
            case "favorites", "favourites", "starred" -> dialogs.openFavorites();
            case "members" -> dialogs.openMembers();
            case "profile" -> dialogs.profiles().run(args, rest);
            case "read" -> readReporter.markRead(true);
            case "retry" -> unsent.retry();
            case "drop" -> unsent.takeBack();
            case "attach" -> {
                if (rest.isEmpty()) m.flash("usage: /attach PATH", true);
                else files.attach(rest);
            }
            case "join" -> {
                if (args.isEmpty()) m.flash("usage: /join @handle", true);
                else calls.runThenOpen("joined " + args.get(0), a -> a.join(args.get(0)), nav::openCreated);
            }
            case "dm" -> {
                if (args.size() != 1) m.flash("usage: /dm @user", true);
                else calls.runThenOpen("chat with " + args.get(0) + " ready", a -> a.create("DM", null, null, args),
                        nav::openCreated);
            }
            case "group", "channel", "forum" -> create(cmd, args);
            default -> {
                if (ChatAdminCommands.NAMES.contains(cmd)) admin.run(cmd, args, rest);
                else m.flash("unknown command /" + cmd + ", the draft is kept (F1 lists the commands; // at the start"
                        + " sends it as a message)", true);
            }
        }
    }

    /** {@code /group NAME [@member…] [handle=HANDLE]}: the words that are neither make the name. */
    private void create(String type, List<String> args) {
        List<String> names = new ArrayList<>();
        List<String> members = new ArrayList<>();
        String handle = null;
        for (String a : args) {
            if (a.startsWith("@")) members.add(a);
            else if (a.startsWith("handle=")) handle = a.substring(7);
            else names.add(a);
        }
        if (names.isEmpty()) {
            m.flash("usage: /" + type + " NAME [@member…] [handle=HANDLE]", true);
            return;
        }
        String name = String.join(" ", names);
        String h = handle;
        calls.runThenOpen(type + " " + name + " created",
                a -> a.create(type.toUpperCase(Locale.ROOT), name, h, members), nav::openCreated);
    }
}
