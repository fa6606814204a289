package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "drop", description = {"Remove outbox entries without sending them; asks nothing, for scripts.",
        "What was dropped is listed on stderr. Exits 0, or 2 for an unknown ID."})
final class OutboxDropCommand implements Callable<Integer> {
    @ParentCommand
    OutboxCommand outbox;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "The entry: its id or an unambiguous start of it.")
    String id;

    @Option(names = "--all-failed", description = "Every FAILED entry (the ones the server refused for good).")
    boolean allFailed;

    @Override
    public Integer call() {
        if ((id == null) == !allFailed) {
            throw new CliException(ExitCodes.USAGE, "give an outbox entry ID or --all-failed");
        }
        try (Session session = outbox.root.openSession()) {
            LocalDatabase db = session.db();
            List<PendingMessage> entries = db.outbox();
            List<PendingMessage> targets = allFailed
                    ? entries.stream().filter(p -> p.state() == OutboxState.FAILED).toList()
                    : List.of(OutboxCommand.find(entries, id));
            if (targets.isEmpty()) {
                Failures.warn("nothing to drop: the outbox holds no FAILED entry");
            }
            for (PendingMessage p : targets) {
                if (db.drop(p.tempId())) {
                    System.err.println("dropped " + OutboxCommand.shortId(p.tempId()) + " (" + p.state() + "): "
                            + OutboxCommand.preview(p.content(), 40));
                }
            }
        }
        return ExitCodes.OK;
    }
}
