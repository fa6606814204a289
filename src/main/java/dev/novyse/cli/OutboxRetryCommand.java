package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;
import dev.novyse.sync.OutboxSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "retry", description = {
        "Send outbox entries again now; a FAILED one goes back to PENDING first.",
        "Every attempt carries the entry's id, so the server never stores it twice.",
        "Exits 0 when delivered, 7 when the server is unreachable (the entries stay queued), 5 when the"
                + " server refuses one again (it stays FAILED), 2 for an unknown ID."})
final class OutboxRetryCommand implements Callable<Integer> {
    @ParentCommand
    OutboxCommand outbox;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "The entry: its id or an unambiguous start of it.")
    String id;

    @Option(names = "--all", description = "Every FAILED and PENDING entry, oldest first.")
    boolean all;

    @Override
    public Integer call() {
        if ((id == null) == !all) {
            throw new CliException(ExitCodes.USAGE, "give an outbox entry ID or --all");
        }
        try (Session session = outbox.root.openSession()) {
            LocalDatabase db = session.db();
            List<PendingMessage> entries = db.outbox();
            List<PendingMessage> targets = all
                    ? entries.stream().filter(p -> p.state() != OutboxState.SENT).toList()
                    : List.of(OutboxCommand.find(entries, id));
            if (targets.isEmpty()) {
                Failures.warn("nothing to retry: the outbox holds no PENDING or FAILED entry");
                return ExitCodes.OK;
            }
            OutboxSender sender = session.client().outbox(UploadProgress.forStderr());
            List<OutboxSender.Result> results = sender.retry(targets.stream().map(PendingMessage::tempId).toList());
            int delivered = 0;
            int refused = 0;
            int queued = 0;
            for (int i = 0; i < targets.size(); i++) {
                OutboxSender.Result r = results.get(i);
                String which = OutboxCommand.shortId(targets.get(i).tempId());
                switch (r.state()) {
                    case DELIVERED -> delivered++;
                    case REJECTED -> {
                        refused++;
                        Failures.warn(which + " not sent: " + r.reason());
                    }
                    case QUEUED -> {
                        if (queued++ > 0) continue; // the server is unreachable: the rest keep their place, said once
                        int rest = targets.size() - i - 1;
                        Failures.warn("server unreachable (" + r.reason() + "); " + which
                                + (rest == 0 ? " stays queued" : " and " + rest + " more stay queued"));
                    }
                }
            }
            if (delivered > 0) {
                SendCommand.syncQuietly(session.client());
                System.err.println("delivered " + delivered + " message(s) from the outbox");
            }
            return refused > 0 ? ExitCodes.SERVER : queued > 0 ? ExitCodes.QUEUED : ExitCodes.OK;
        }
    }
}
