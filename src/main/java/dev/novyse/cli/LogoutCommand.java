package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.sync.ApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "logout", description = {"End the session on the server and forget its credentials.",
        "The local store stays, so a later login finds the account's messages offline."})
final class LogoutCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Override
    public Integer call() {
        try (Session session = root.openSession()) {
            try {
                session.api().logout();
            } catch (ApiException e) {
                // An unreachable server or an already-ended session must not keep the secret on disk.
                Failures.warn("server not told (" + e.getMessage() + "); credentials removed anyway");
            }
            root.accounts().forget(session.account());
            System.err.println("Signed out of " + session.account().id());
        }
        return ExitCodes.OK;
    }
}
