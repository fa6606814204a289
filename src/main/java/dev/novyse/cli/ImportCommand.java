package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.account.Credentials;
import dev.novyse.export.archive.ArchiveException;
import dev.novyse.export.archive.ArchiveHeader;
import dev.novyse.export.archive.ArchiveImporter;
import dev.novyse.export.archive.ArchiveReader;
import dev.novyse.export.archive.ArchiveSchema;
import dev.novyse.store.LocalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Restores an archive of {@code novyse export --all} into an empty store. A whole-account archive imported whole,
 * under its own account, brings its sync cursors: after {@code novyse login} the next sync continues where the
 * exported store was. Anything less (a one-chat archive, {@code --only}, another account) is a read-only archive:
 * without cursors the next sync starts over with a full initialize, which replaces the imported server data.
 */
@Command(name = "import", description = {
        "Load an archive written by 'novyse export --all' into an empty local store, offline, in one"
                + " transaction: a damaged, cut-short or newer-version file is refused (exit 6) and the store is left as"
                + " it was.",
        "A whole archive imported under its own account keeps its sync cursors: 'novyse login' then 'novyse"
                + " sync' continue from them. With --only, a one-chat archive or another --account it is a read-only"
                + " copy that the next sync replaces with a full initialize."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive, or - for standard input.")
    String file;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Import only these parts: settings, chats, messages (messages need chats).")
    List<String> only;

    @Override
    public Integer call() throws Exception {
        Set<ArchiveSchema.Group> groups = groups();
        try (InputStream in = open(); ArchiveReader reader = ArchiveReader.open(in)) {
            ArchiveHeader header = reader.header();
            Accounts accounts = root.accounts();
            String id = targetId(root.accountName(), header);
            boolean ownAccount = id.equals(header.account());
            boolean withCursors = header.wholeAccount() && ownAccount && only == null;
            if (withCursors) groups.add(ArchiveSchema.Group.cursors);
            Accounts.Account account = accounts.account(id);
            Credentials existing = Files.isRegularFile(account.credentialsFile()) ? accounts.read(account) : null;
            if (existing != null && ownAccount && existing.userUUID() != null
                    && !existing.userUUID().equals(header.user())) {
                throw new CliException(ExitCodes.USAGE, "the archive is of user " + header.user() + ", but account "
                        + id + " here is user " + existing.userUUID() + "; pick another with --account");
            }
            Map<String, Long> counts = load(account, reader, groups);
            if (existing == null) {
                // No secret and no token: the store is readable offline at once; 'novyse login' signs it in.
                String username = ownAccount ? header.username() : id.substring(0, id.indexOf('@'));
                accounts.write(account, new Credentials(header.server(), username, ownAccount ? header.user() : null,
                        0, null, null, null));
            }
            if (accounts.defaultId() == null) {
                accounts.setDefault(id);
            }
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            System.err.println("imported " + total + " records into " + id + " (" + counts.getOrDefault("chat", 0L)
                    + " chats, " + counts.getOrDefault("message", 0L) + " messages, "
                    + counts.getOrDefault("setting", 0L) + " settings); " + (withCursors
                    ? "with its sync cursors: 'novyse sync' continues from them once signed in"
                    : "a read-only copy: the next 'novyse sync' replaces it with a full initialize"));
            return ExitCodes.OK;
        } catch (ArchiveException e) {
            throw new CliException(ExitCodes.DATA, "cannot import " + name() + ": " + e.getMessage());
        }
    }

    private Set<ArchiveSchema.Group> groups() {
        if (only == null) {
            return EnumSet.of(ArchiveSchema.Group.chats, ArchiveSchema.Group.messages, ArchiveSchema.Group.settings);
        }
        Set<ArchiveSchema.Group> groups = EnumSet.noneOf(ArchiveSchema.Group.class);
        for (String part : only) {
            try {
                groups.add(ArchiveSchema.Group.parse(part));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--only: " + e.getMessage());
            }
        }
        if (groups.contains(ArchiveSchema.Group.messages) && !groups.contains(ArchiveSchema.Group.chats)) {
            throw new CliException(ExitCodes.USAGE, "--only messages needs chats too (--only chats,messages)");
        }
        return groups;
    }

    private InputStream open() {
        if (file.equals("-")) {
            return new BufferedInputStream(System.in, 1 << 16);
        }
        try {
            return new BufferedInputStream(Files.newInputStream(Path.of(file)), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "no such file: " + file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private String name() {
        return file.equals("-") ? "standard input" : file;
    }

    /** --account as an id ({@code user@host_port}) or a username on the archive's server; else the archive's own. */
    static String targetId(String wanted, ArchiveHeader header) {
        if (wanted == null || wanted.isBlank()) {
            return header.account();
        }
        String w = wanted.trim().toLowerCase(Locale.ROOT);
        if (!w.contains("@")) {
            return Accounts.accountId(w, header.server());
        }
        if (!w.matches("[a-z0-9._-]+@[a-z0-9._-]+")) {
            throw new CliException(ExitCodes.USAGE, "--account must be a username or username@host_port: " + wanted);
        }
        return w;
    }

    /**
     * Fills the account's store from the archive. The store must be empty; one it had to create is removed again
     * when the import fails, so a refused file leaves the data directory as it was.
     */
    private static Map<String, Long> load(Accounts.Account account, ArchiveReader reader,
                                          Set<ArchiveSchema.Group> groups) throws IOException {
        boolean dirExisted = Files.isDirectory(account.dir());
        boolean dbExisted = Files.exists(account.databaseFile());
        LocalDatabase db = LocalDatabase.open(account.databaseFile());
        boolean ok = false;
        try {
            if (!db.isEmpty()) {
                throw new CliException(ExitCodes.DATA, "the store of " + account.id() + " already holds data;"
                        + " import fills only an empty one (use another --data-dir or --account)");
            }
            Map<String, Long> counts = ArchiveImporter.importInto(db, reader, groups);
            ok = true;
            return counts;
        } finally {
            db.close();
            if (!ok && !dbExisted) {
                for (String suffix : List.of("", "-wal", "-shm", "-journal", ".lock")) { // .lock: StoreInUse's
                    Files.deleteIfExists(account.dir().resolve(account.databaseFile().getFileName() + suffix));
                }
                if (!dirExisted) {
                    Files.deleteIfExists(account.dir());
                }
            }
        }
    }
}
