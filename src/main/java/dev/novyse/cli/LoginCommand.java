package dev.novyse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "login", description = {"Sign in to an existing account and make it the default.",
        "The password is asked for on the terminal, or read from the first line of standard input."})
final class LoginCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The account's username.")
    String username;

    @Override
    public Integer call() {
        ClientSession.signIn(root, username, "Signed in as", (api, password) -> api.signin(username, password));
        return ExitCodes.OK;
    }
}
