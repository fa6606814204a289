package dev.novyse.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The server's folders and files are its owner's alone (0700 / 0600), as the client's are, whatever the umask the
 * server was started with: they hold every user's messages, files and session secrets. Modes are set after
 * creating, because the mode asked for at creation is masked by the umask. Files created later inherit privacy:
 * an upload is written through {@link Files#createTempFile} (0600) in a private folder, and SQLite gives its -wal and
 * -shm journals the database file's mode.
 */
final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates {@code dir} with any missing parents, and makes private every folder it created and {@code dir}
     * itself (one left open by an earlier version too); existing parents are the user's and stay as they are.
     */
    static void directory(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        Files.createDirectories(dir);
        if (missing.isEmpty()) {
            missing.add(dir);
        }
        for (Path p : missing) {
            restrict(p, DIRECTORY);
        }
    }

    /** Creates {@code file} if missing, and makes it private either way. */
    static void file(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException existing) {
            // made by an earlier start: made private below all the same
        }
        restrict(file, FILE);
    }

    /**
     * A folder the server did not create may belong to someone else (a {@code --data-dir} of another owner's, a
     * mount that refuses modes): the server still starts there, and warns.
     */
    private static void restrict(Path p, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(p, mode);
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: nothing finer to ask for.
        } catch (IOException e) {
            LOG.warn("cannot make {} private to its owner: {}", p, e.toString());
        }
    }
}
