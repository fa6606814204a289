package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code novyse __complete chats|accounts}: candidates for the shell completion scripts, one per line, read from
 * the data directory and the local store only (never the network, never creating a store). Chats as their handle
 * (no '@': bash splits words at '@') or, without one, their uuid; accounts as the username when only one server has
 * it, else the full id. Prints nothing and exits 0 on any problem: a Tab must never print an error.
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates from the local store (for the shell scripts).")
final class CompleteCommand implements Callable<Integer> {
    enum What { chats, accounts }

    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "WHAT")
    What what;

    @Override
    public Integer call() {
        try {
            Accounts accounts = root.accounts();
            OutputWriter out = OutputWriter.stdout(OutputFormat.text);
            if (what == What.accounts) {
                Map<String, List<String>> byUser = new LinkedHashMap<>();
                for (Accounts.Account a : accounts.list()) {
                    byUser.computeIfAbsent(a.id().substring(0, a.id().indexOf('@')), k -> new java.util.ArrayList<>()).add(a.id());
                }
                byUser.forEach((user, ids) -> {
                    if (ids.size() == 1) out.text(user);
                    else ids.forEach(out::text);
                });
            } else {
                Accounts.Account account = accounts.resolve(root.accountName());
                if (!Files.isRegularFile(account.databaseFile())) return ExitCodes.OK;
                try (LocalDatabase db = LocalDatabase.open(account.databaseFile())) {
                    for (ChatSummary c : db.chatList(1000)) {
                        out.text(c.handle() != null && !c.handle().isBlank() ? c.handle() : c.uuid());
                    }
                }
            }
        } catch (RuntimeException e) {
            // no candidates rather than noise in the middle of someone's command line
        }
        return ExitCodes.OK;
    }
}
