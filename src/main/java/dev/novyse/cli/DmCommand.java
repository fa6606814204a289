package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.store.ChatSummary;
import dev.novyse.sync.ChatActions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "dm", description = {"Start a direct conversation, or find the one there is, and print it as 'chats' does.",
        "USER is @handle, handle or display name: the local store is asked first, then the server.",
        "Needs the server: exits 4 when it is unreachable, 2 for a user nobody has, 5 when refused."})
final class DmCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "USER", description = "The other person: @handle, handle or display name.")
    String user;

    @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    OutputFormat format;

    @Override
    public Integer call() {
        try (Session session = root.openSession()) {
            ChatActions actions = ServerActions.open(session);
            ChatSummary dm = ChatResolver.startDm(session, actions, UserResolver.resolve(session.db(), actions, user));
            ChatCommand.print(dm, session.db(), format);
        }
        return ExitCodes.OK;
    }
}
