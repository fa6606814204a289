package dev.novyse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "novyse", mixinStandardHelpOptions = true, versionProvider = NovyseCommand.Version.class,
        description = "Offline-first terminal client and server for the Novyse chat protocol.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class NovyseCommand implements Callable<Integer> {
    public static final String VERSION = "0.1.0";

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"novyse " + VERSION};
        }
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return ExitCodes.USAGE;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new NovyseCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException ce) {
                commandLine.getErr().println("novyse: " + ce.getMessage());
                return ce.exitCode();
            }
            commandLine.getErr().println("novyse: internal error: " + e);
            return ExitCodes.INTERNAL;
        });
        return cl;
    }
}
