package dev.novyse.cli;

import dev.novyse.account.AccountClient;
import dev.novyse.account.Session;
import dev.novyse.store.StoreRebuild;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.SyncResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "sync", description = {"Bring the local store up to date with the server, then exit.",
        "Safe to interrupt at any moment: every page is committed with its cursors, and the next run resumes.",
        "With --rebuild: the way out of a store that cannot be used (exit 6); the old file is kept beside it."})
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--stats", description = "Print what was applied on stdout: one JSON object (docs/output.md), or with"
            + " --format text the summary line.")
    boolean stats;

    @Option(names = "--format", description = "Format of --stats (implies it): jsonl or text (default: ${DEFAULT-VALUE}).",
            defaultValue = "jsonl", converter = OutputFormat.JsonlFirst.class,
            completionCandidates = OutputFormat.JsonlFirst.class)
    OutputFormat format;

    @Option(names = "--quiet", description = "Print nothing on success.")
    boolean quiet;

    @Option(names = "--rebuild", description = "For a store that cannot be used (damaged, from a newer version,"
            + " read-only): move it aside, start a fresh one with the outbox entries it still holds, and sync."
            + " The sign-in is kept.")
    boolean rebuild;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() {
        ApiClient.prepareUpdatesAside();
        // An explicit --format asks for the figures; picocli only tells an explicit one by the parse result.
        if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
            stats = true;
        }
        try (Session session = apiKey.open(root)) {
            if (rebuild) {
                rebuild(session);
            }
            AccountClient client = session.client();
            SyncResult result = client.syncEngine().sync();
            OutboxSender.Flushed sent = client.outbox(quiet ? OutboxSender.Progress.NONE : UploadProgress.forStderr()).flushAll();
            if (sent.total() > 0) {
                client.syncEngine().sync();
                if (!quiet && sent.messages() > 0) System.err.println("delivered " + sent.messages() + " message(s) from the outbox");
                if (!quiet && sent.reactions() > 0) System.err.println("sent " + sent.reactions() + " queued reaction(s)");
            }
            // Never silent, --quiet or not: a queued reaction the server refused is gone, a message waits to be
            // retried or dropped.
            for (String r : sent.refused()) Failures.warn("not sent, dropped: " + r);
            OutboxCommand.warnRefused(sent.failed());
            if (stats) {
                // The JSON object is the SyncResult itself: every component, always present (docs/output.md).
                OutputWriter.stdout(format).record(result, () -> summary(result));
            } else if (!quiet) {
                System.err.println("synced " + session.account().id() + ": " + summary(result));
            }
        }
        return ExitCodes.OK;
    }

    /** Before the store is opened: the damaged one goes aside, a fresh one takes its outbox entries. */
    private static void rebuild(Session session) {
        StoreRebuild.Result r = StoreRebuild.run(session.account().databaseFile());
        if (r.keptAside() == null) {
            Failures.warn("no store to rebuild; syncing a fresh one");
            return;
        }
        Failures.warn("moved the store aside to " + r.keptAside() + "; " + r.requeued()
                + " outbox entr" + (r.requeued() == 1 ? "y" : "ies") + " carried over"
                + (r.outboxUnreadable() ? " (its outbox could not be read)" : ""));
    }

    static String summary(SyncResult r) {
        return (r.initialized() ? "initialized, " : "") + r.messages() + " messages, " + r.chats() + " chats, "
                + r.users() + " users, " + (r.chatEvents() + r.profileEvents() + r.userEvents()) + " events in "
                + r.pages() + (r.pages() == 1 ? " page" : " pages")
                + (r.skippedUnknownEvents() > 0 ? ", " + r.skippedUnknownEvents() + " unknown events skipped" : "");
    }
}
