package dev.novyse.cli;

import dev.novyse.sync.ApiException;
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
        try {
            LoginCommand.signIn(root, username, "Signed up and signed in as",
                    (api, password) -> api.signup(username, password, name));
        } catch (ApiException e) {
            // What was typed is refused (a username of other characters, or taken; a short password): a usage
            // error, exit 2, in the server's words; its rules are its own, so they are not guessed here before asking.
            if (e.kind() == ApiException.Kind.HTTP && (e.status() == 400 || e.status() == 409)) { // 409: taken
                throw new CliException(ExitCodes.USAGE, root.verbose ? e.getMessage() : e.sentence(), e);
            }
            throw e;
        }
        return ExitCodes.OK;
    }
}
