package dev.novyse.cli;

import dev.novyse.protocol.Json;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.SyncResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "sync", description = {"Bring the local store up to date with the server, then exit.",
        "Safe to interrupt at any moment: every page is committed with its cursors, and the next run resumes."})
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--stats", description = "Print what was applied as one JSON object on stdout.")
    boolean stats;

    @Option(names = "--quiet", description = "Print nothing on success.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        try (ClientSession session = ClientSession.open(root)) {
            SyncResult result = session.syncEngine().sync();
            int sent = new OutboxSender(session.api(), session.db()).flush();
            if (sent > 0) {
                session.syncEngine().sync();
                if (!quiet) {
                    System.err.println("delivered " + sent + " message(s) from the outbox");
                }
            }
            if (stats) {
                System.out.println(Json.mapper().writeValueAsString(result));
            } else if (!quiet) {
                System.err.println("synced " + session.account().id() + ": " + summary(result));
            }
        }
        return ExitCodes.OK;
    }

    static String summary(SyncResult r) {
        return (r.initialized() ? "initialized, " : "") + r.messages() + " messages, " + r.chats() + " chats, "
                + r.users() + " users, " + (r.chatEvents() + r.profileEvents() + r.userEvents()) + " events in "
                + r.pages() + (r.pages() == 1 ? " page" : " pages")
                + (r.skippedUnknownEvents() > 0 ? ", " + r.skippedUnknownEvents() + " unknown events skipped" : "");
    }
}
