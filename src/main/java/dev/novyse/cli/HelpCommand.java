package dev.novyse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code novyse help [COMMAND [SUBCOMMAND]]}: the usage of novyse, or of the command named, as {@code --help} after
 * it prints. Not picocli's own help command: that one declares a {@code -h, --help} of its own, which collides with
 * the one every command inherits from the root, and it reads only one command name.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of novyse, or of the command named: 'novyse help chat members'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", completionCandidates = Commands.class,
            description = "A command, and a subcommand of it.")
    List<String> names = new ArrayList<>();

    /** The commands' names, which shell completion offers after 'help' (picocli's generator knew only its own). */
    static final class Commands implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(NovyseCommandTree.commands()).map(c -> c.getAnnotation(Command.class)).filter(c -> !c.hidden() && !c.name().equals("help"))
                    .map(Command::name).iterator();
        }
    }

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
                     PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                // a usage error, which names the command that has no such subcommand
                throw new CommandLine.ParameterException(target, "'" + name + "' is not a command of "
                        + target.getCommandSpec().qualifiedName(), null, name);
            }
            target = next;
        }
        target.usage(out, colors);
    }
}
