package dev.novyse.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders and files only their owner can read or change (0700 / 0600), whatever the process umask: secrets, stores,
 * caches and code the process loads. The mode is given when a path is created (a umask can only take bits away, so
 * it cannot widen 0700), never set afterwards on a path that was open to others in between.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    private static final FileAttribute<Set<PosixFilePermission>> DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * Creates {@code dir} and any missing parent, each one made 0700 (the XDG base directory rule for a folder that
     * is missing); folders that exist are left as they are. On a file system without POSIX modes, plain folders.
     */
    public static Path directories(Path dir) throws IOException {
        try {
            return Files.createDirectories(dir, DIR);
        } catch (UnsupportedOperationException e) {
            return Files.createDirectories(dir);
        }
    }

    /** Creates {@code file} 0600 if it does not exist; an existing one is left as it is. */
    public static Path file(Path file) throws IOException {
        try {
            try {
                return Files.createFile(file, FILE);
            } catch (UnsupportedOperationException e) {
                return Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return file;
        }
    }

    /** A new 0600 temporary file in {@code dir} (for a write-then-rename). */
    public static Path tempFile(Path dir, String prefix, String suffix) throws IOException {
        try {
            return Files.createTempFile(dir, prefix, suffix, FILE);
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, suffix);
        }
    }

    /**
     * Closes an existing folder (0700) or file (0600) to others: one an older version left open under a loose umask.
     * False when its mode cannot be changed (another owner's, a mount that refuses modes); a file system without
     * POSIX modes counts as done.
     */
    public static boolean close(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwx------" : "rw-------"));
            return true;
        } catch (UnsupportedOperationException notPosix) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * True when {@code path} (not followed if a link) belongs to this process's user and nobody else may write it:
     * what must hold for a file the process executes or trusts, and for every folder above it up to the one it made.
     */
    public static boolean ownedAndClosed(Path path) {
        try {
            if (!ownedByThisUser(path)) return false;
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            return !p.contains(PosixFilePermission.GROUP_WRITE) && !p.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** True when {@code path} (not followed if a link) belongs to this process's user. */
    public static boolean ownedByThisUser(Path path) {
        try {
            String me = ProcessHandle.current().info().user().orElse(null);
            return me != null && me.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
