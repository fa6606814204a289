package dev.novyse.cli;

import picocli.CommandLine.Command;

/**
 * The whole {@code novyse} command: the root ({@link NovyseCommand}, whose other attributes it inherits) with every
 * subcommand. The list of commands ({@code novyse --help}, {@code help}), the errors of a line that names none, the
 * man pages and the shell completions come from it; a command line that names one subcommand runs on a smaller tree
 * ({@link NovyseCommand#commandLine}).
 */
@Command(subcommands = {SignupCommand.class, LoginCommand.class, LogoutCommand.class, AccountsCommand.class,
        SyncCommand.class, ChatsCommand.class, SearchCommand.class, SendCommand.class, DmCommand.class, ChatCommand.class,
        MessageCommand.class, ProfileCommand.class, SettingsCommand.class, ApikeyCommand.class, OutboxCommand.class,
        FileCommand.class, ExportCommand.class, ImportCommand.class, WatchCommand.class, ServeCommand.class,
        CompleteCommand.class, DemoCommand.class, HelpCommand.class})
public final class NovyseCommandTree extends NovyseCommand {
    /** The subcommands' classes, as declared above. */
    static Class<?>[] commands() {
        return NovyseCommandTree.class.getAnnotation(Command.class).subcommands();
    }
}
