package dev.novyse.account;

import dev.novyse.io.PrivateFiles;
import dev.novyse.account.AccountException.Kind;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accounts under the data directory: one folder per (account, server) holding its credentials and its own
 * SQLite store, so one account never opens another's file. Folders are 0700, files 0600.
 */
public final class Accounts {
    /** One account folder: its id is {@code username@host_port}. */
    public record Account(String id, Path dir) {
        public Path credentialsFile() {
            return dir.resolve("credentials.json");
        }

        public Path databaseFile() {
            return dir.resolve("store.db");
        }
    }

    private final Path root;

    public Accounts(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public static String accountId(String username, String server) {
        URI uri = URI.create(server);
        String host = uri.getHost() == null ? "server" : uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        String id = username + "@" + host + "_" + port;
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9@._-]", "_");
    }

    public Account account(String id) {
        return new Account(id, root.resolve("accounts").resolve(id));
    }

    /**
     * The folder an API key's runs keep their store in: {@code accounts/apikey-<username>@host_port}, 0700. It holds
     * no credentials file, so it is never listed, chosen by default or signed out of ({@code apikey-} cannot start a
     * username: they never contain '-').
     */
    public Account keyAccount(String username, String server) {
        Account account = account("apikey-" + accountId(username, server));
        ensurePrivateDir(root);
        ensurePrivateDir(root.resolve("accounts"));
        ensurePrivateDir(account.dir());
        return account;
    }

    public List<Account> list() {
        List<Account> out = new ArrayList<>();
        Path dir = root.resolve("accounts");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p.resolve("credentials.json"))) {
                    out.add(new Account(p.getFileName().toString(), p));
                }
            }
        } catch (IOException e) {
            throw new AccountException(Kind.FILES, "cannot list accounts in " + dir + ": " + e.getMessage());
        }
        out.sort(java.util.Comparator.comparing(Account::id));
        return out;
    }

    public String defaultId() {
        Path f = root.resolve("default-account");
        try {
            return Files.isRegularFile(f) ? Files.readString(f).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public void setDefault(String id) {
        writePrivate(root.resolve("default-account"), id + "\n");
    }

    /**
     * The account a command works on: {@code --account} (an id, or a username when only one server has it),
     * else the default (the last login), else the only one there is.
     */
    public Account resolve(String wanted) {
        List<Account> all = list();
        if (wanted != null && !wanted.isBlank()) {
            String w = wanted.toLowerCase(Locale.ROOT);
            List<Account> matches = all.stream().filter(a -> a.id().equals(w) || a.id().startsWith(w + "@")).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.isEmpty()) {
                throw new AccountException(Kind.NOT_SIGNED_IN,
                        "no account '" + wanted + "' here; run 'novyse login' first");
            }
            throw new AccountException(Kind.AMBIGUOUS, "account '" + wanted + "' is ambiguous; use one of: "
                    + String.join(", ", matches.stream().map(Account::id).toList()));
        }
        String dflt = defaultId();
        if (dflt != null && all.stream().anyMatch(a -> a.id().equals(dflt))) {
            return account(dflt);
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        if (all.isEmpty()) {
            throw new AccountException(Kind.NOT_SIGNED_IN,
                    "not signed in; run 'novyse signup' or 'novyse login' first");
        }
        throw new AccountException(Kind.AMBIGUOUS, "several accounts are signed in; pick one with --account");
    }

    public Credentials read(Account account) {
        try {
            return CredentialsJson.read(account.credentialsFile());
        } catch (IOException e) {
            throw new AccountException(Kind.NOT_SIGNED_IN,
                    "credentials of " + account.id() + " are unreadable; log in again");
        }
    }

    public void write(Account account, Credentials credentials) {
        ensurePrivateDir(root);
        ensurePrivateDir(root.resolve("accounts"));
        ensurePrivateDir(account.dir());
        try {
            writePrivate(account.credentialsFile(), CredentialsJson.write(credentials));
        } catch (IOException e) {
            throw new AccountException(Kind.FILES, "cannot write credentials: " + e.getMessage());
        }
    }

    public void forget(Account account) {
        try {
            Files.deleteIfExists(account.credentialsFile());
            if (account.id().equals(defaultId())) {
                Files.deleteIfExists(root.resolve("default-account"));
            }
        } catch (IOException e) {
            throw new AccountException(Kind.FILES, "cannot remove credentials: " + e.getMessage());
        }
    }

    private static void ensurePrivateDir(Path dir) {
        try {
            PrivateFiles.directories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new AccountException(Kind.FILES, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Writes through a 0600 temp file and an atomic rename: a crash never leaves a half-written secret. */
    private static void writePrivate(Path file, String text) {
        try {
            ensurePrivateDir(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.file(tmp);
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AccountException(Kind.FILES, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
