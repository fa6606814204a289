package dev.novyse.cli;

import dev.novyse.protocol.AuthReply;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "signup", description = {"Create an account on the server and sign in to it.",
        "The password is asked for on the terminal, or read from the first line of standard input."})
final class SignupCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "3-32 characters of a-z, 0-9, '_' and '.'.")
    String username;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the username).")
    String name;

    @Override
    public Integer call() {
        String server = root.serverUrl();
        String password = PasswordReader.read("Password for " + username + ": ");
        AuthReply reply = new ApiClient(java.net.URI.create(server), TokenProvider.NONE).signup(username, password, name);
        String normalised = username.trim().toLowerCase(java.util.Locale.ROOT);
        ClientSession.saveLogin(root.accounts(), server, normalised, reply);
        System.err.println("Signed up and signed in as " + normalised + " on " + server);
        return ExitCodes.OK;
    }
}
