package dev.novyse.account;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Whose an API key is, as the server last said ({@code GET /session}), kept in the key's account folder
 * ({@code apikey-<username>@host_port/key-identity}, 0600): the key's SHA-256, never the key, with the user and whether
 * it may send. A run whose server is unreachable finds its folder by the key's hash, so a cron job's {@code send}
 * queues in the outbox as a password's does instead of failing; the server checks the key again at delivery.
 */
record KeyIdentity(String keyHash, String username, String userUUID, boolean maySend) {
    static final String FILE = "key-identity";

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Writes it into {@code accountDir} (replacing what was there); a failure only costs the offline queueing. */
    void remember(Path accountDir) {
        try {
            Path tmp = PrivateFiles.tempFile(accountDir, FILE, ".tmp");
            Files.writeString(tmp, String.join("\n", keyHash, username, userUUID, String.valueOf(maySend)) + "\n");
            Files.move(tmp, accountDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // not worth failing the command for: the next run that reaches the server writes it again
        }
    }

    /** The identity of {@code key} on {@code server} from an earlier run, if one of its key folders holds it. */
    static Optional<KeyIdentity> find(Path accountsDir, String server, String key) {
        String wanted = hash(key);
        String suffix = Accounts.accountId("x", server).substring(1); // "@host_port"
        if (!Files.isDirectory(accountsDir)) return Optional.empty();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(accountsDir, "apikey-*" + suffix)) {
            for (Path d : dirs) {
                Path f = d.resolve(FILE);
                if (!Files.isRegularFile(f) || !PrivateFiles.ownedByThisUser(f)) continue;
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() >= 4 && MessageDigest.isEqual(lines.get(0).getBytes(StandardCharsets.US_ASCII),
                        wanted.getBytes(StandardCharsets.US_ASCII))) {
                    return Optional.of(new KeyIdentity(lines.get(0), lines.get(1), lines.get(2), Boolean.parseBoolean(lines.get(3))));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
