package dev.novyse.cli;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.OutboxSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "send", description = {"Send a message; retries never deliver it twice.",
        "The message is written to the outbox first, with a client id the server uses to drop duplicates.",
        "Exits 0 when delivered, 7 when queued because the server is unreachable (the next sync or send",
        "delivers it), 5 when the server refuses it."})
final class SendCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "CHAT", description = "Chat uuid, handle (@team) or name.")
    String chat;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "The message; '-' or nothing reads stdin.")
    String text;

    @Option(names = "--sub", description = "Sub-channel id (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int sub;

    @Option(names = "--reply-to", paramLabel = "ID", description = "Id of the message this one answers.")
    Long replyTo;

    @Override
    public Integer call() throws IOException {
        String content = text == null || text.equals("-") ? readStdin() : text;
        if (content.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "refusing to send an empty message");
        }
        try (ClientSession session = ClientSession.open(root)) {
            LocalDatabase db = session.db();
            if (!db.isInitialized()) {
                session.syncEngine().sync();
            }
            ChatSummary target = ChatResolver.resolve(db, chat);
            OutboxSender outbox = new OutboxSender(session.api(), db);
            String tempId = outbox.enqueue(target.uuid(), sub, content, replyTo);
            OutboxSender.Result result = outbox.deliver(tempId);
            switch (result.state()) {
                case DELIVERED -> {
                    syncQuietly(session);
                    System.err.println("sent to " + target.title() + " as #" + result.messageId());
                    return ExitCodes.OK;
                }
                case QUEUED -> {
                    System.err.println("novyse: server unreachable (" + result.reason() + "); queued in the outbox");
                    return ExitCodes.QUEUED;
                }
                default -> throw new CliException(ExitCodes.SERVER, "server refused the message: " + result.reason());
            }
        }
    }

    /** The message is delivered: a failing follow-up sync must not turn that into an error. */
    private static void syncQuietly(ClientSession session) {
        try {
            session.syncEngine().sync();
        } catch (ApiException e) {
            System.err.println("novyse: sent, but the follow-up sync failed: " + e.getMessage());
        }
    }

    private static String readStdin() throws IOException {
        String s = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
