package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.account.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "accounts", description = "List the signed-in accounts; '*' marks the default.")
final class AccountsCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Override
    public Integer call() {
        Accounts accounts = root.accounts();
        String dflt = accounts.defaultId();
        OutputWriter out = OutputWriter.stdout(OutputFormat.text);
        for (Accounts.Account a : accounts.list()) {
            Credentials c = accounts.read(a);
            out.text((a.id().equals(dflt) ? "* " : "  ") + a.id() + "\t" + c.server());
        }
        return ExitCodes.OK;
    }
}
