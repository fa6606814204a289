package dev.novyse.cli;

import dev.novyse.protocol.AuthReply;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;
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
        String server = root.serverUrl();
        String password = PasswordReader.read("Password for " + username + ": ");
        AuthReply reply = new ApiClient(java.net.URI.create(server), TokenProvider.NONE).signin(username, password);
        String normalised = username.trim().toLowerCase(java.util.Locale.ROOT);
        ClientSession.saveLogin(root.accounts(), server, normalised, reply);
        System.err.println("Signed in as " + normalised + " on " + server);
        return ExitCodes.OK;
    }
}
