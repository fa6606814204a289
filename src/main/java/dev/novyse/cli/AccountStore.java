package dev.novyse.cli;

import dev.novyse.io.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.novyse.protocol.Json;

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
final class AccountStore {
    /** One account folder: its id is {@code username@host_port}. */
    record Account(String id, Path dir) {
        Path credentialsFile() {
            return dir.resolve("credentials.json");
        }

        Path databaseFile() {
            return dir.resolve("store.db");
        }
    }

    private final Path root;

    AccountStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    static String accountId(String username, String server) {
        URI uri = URI.create(server);
        String host = uri.getHost() == null ? "server" : uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        String id = username + "@" + host + "_" + port;
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9@._-]", "_");
    }

    Account account(String id) {
        return new Account(id, root.resolve("accounts").resolve(id));
    }

    List<Account> list() {
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
            throw new CliException(ExitCodes.DATA, "cannot list accounts in " + dir + ": " + e.getMessage());
        }
        out.sort(java.util.Comparator.comparing(Account::id));
        return out;
    }

    String defaultId() {
        Path f = root.resolve("default-account");
        try {
            return Files.isRegularFile(f) ? Files.readString(f).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    void setDefault(String id) {
        writePrivate(root.resolve("default-account"), id + "\n");
    }

    /**
     * The account a command works on: {@code --account} (an id, or a username when only one server has it),
     * else the default (the last login), else the only one there is.
     */
    Account resolve(String wanted) {
        List<Account> all = list();
        if (wanted != null && !wanted.isBlank()) {
            String w = wanted.toLowerCase(Locale.ROOT);
            List<Account> matches = all.stream().filter(a -> a.id().equals(w) || a.id().startsWith(w + "@")).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.isEmpty()) {
                throw new CliException(ExitCodes.AUTH, "no account '" + wanted + "' here; run 'novyse login' first");
            }
            throw new CliException(ExitCodes.USAGE, "account '" + wanted + "' is ambiguous; use one of: "
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
            throw new CliException(ExitCodes.AUTH, "not signed in; run 'novyse signup' or 'novyse login' first");
        }
        throw new CliException(ExitCodes.USAGE, "several accounts are signed in; pick one with --account");
    }

    Credentials read(Account account) {
        try {
            return Json.mapper().readValue(account.credentialsFile().toFile(), Credentials.class);
        } catch (IOException e) {
            throw new CliException(ExitCodes.AUTH, "credentials of " + account.id() + " are unreadable; log in again");
        }
    }

    void write(Account account, Credentials credentials) {
        ensurePrivateDir(root);
        ensurePrivateDir(root.resolve("accounts"));
        ensurePrivateDir(account.dir());
        try {
            ObjectMapper m = Json.mapper();
            writePrivate(account.credentialsFile(), m.writeValueAsString(credentials));
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA, "cannot write credentials: " + e.getMessage());
        }
    }

    void forget(Account account) {
        try {
            Files.deleteIfExists(account.credentialsFile());
            if (account.id().equals(defaultId())) {
                Files.deleteIfExists(root.resolve("default-account"));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA, "cannot remove credentials: " + e.getMessage());
        }
    }

    static void ensurePrivateDir(Path dir) {
        try {
            PrivateFiles.directories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Writes through a 0600 temp file and an atomic rename: a crash never leaves a half-written secret. */
    void writePrivate(Path file, String text) {
        try {
            ensurePrivateDir(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.file(tmp);
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.DATA, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
