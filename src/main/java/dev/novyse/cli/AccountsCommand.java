package dev.novyse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "accounts", description = "List the signed-in accounts; '*' marks the default.")
final class AccountsCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Override
    public Integer call() {
        AccountStore store = root.accounts();
        String dflt = store.defaultId();
        for (AccountStore.Account a : store.list()) {
            Credentials c = store.read(a);
            System.out.println((a.id().equals(dflt) ? "* " : "  ") + a.id() + "\t" + c.server());
        }
        return ExitCodes.OK;
    }
}
