package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.protocol.AuthReply;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

@Command(name = "login", description = {"Sign in to an existing account and make it the default.",
        "The password is asked for on the terminal, or read from the first line of standard input."})
final class LoginCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The account's username.")
    String username;

    @Override
    public Integer call() {
        signIn(root, username, "Signed in as", (api, password) -> api.signin(username, password));
        return ExitCodes.OK;
    }

    /**
     * Signup and login: ask for the password, call the server, store the session 0600 and make the account the
     * default. {@code call} receives the API client and the password.
     */
    static void signIn(NovyseCommand root, String username, String done, BiFunction<ApiClient, String, AuthReply> call) {
        String server = root.serverUrl();
        String password = PasswordReader.read("Password for " + username + ": ");
        AuthReply reply = call.apply(new ApiClient(URI.create(server), TokenProvider.NONE), password);
        Session.saveLogin(root.accounts(), server, username, reply);
        System.err.println(done + " " + Session.normalise(username) + " on " + server);
    }
}
