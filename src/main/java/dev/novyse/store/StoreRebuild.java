package dev.novyse.store;

import dev.novyse.io.PrivateFiles;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The way out of a store that cannot be used as it is (damaged, cut short, from a newer version, not writable): the
 * file is moved aside (kept, named with the time), whatever outbox entries can still be read from it are read
 * (read-only, row by row when the table itself is damaged), and a fresh store is created holding those entries with
 * their tempIds, so a message the server already has is answered with that message, never stored twice
 * (docs/architecture.md#invariant-5). The credentials are another file and stay as they are; the next sync fills
 * the fresh store from the server.
 */
public final class StoreRebuild {
    /** What a rebuild did: where the old file went, how many outbox entries came along, how many were lost. */
    public record Result(Path keptAside, int requeued, boolean outboxUnreadable) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private StoreRebuild() {
    }

    /** Rebuilds the store at {@code file}; a missing file has nothing to keep (a fresh store is made by the next open). */
    public static Result run(Path file) {
        Path abs = file.toAbsolutePath();
        if (!Files.exists(abs)) {
            return new Result(null, 0, false);
        }
        try (StoreInUse alone = StoreInUse.alone(abs)) {
            return rebuild(abs);
        }
    }

    private static Result rebuild(Path abs) {
        Path aside = moveAside(abs);
        List<PendingMessage> salvaged = new ArrayList<>();
        boolean unreadable = !salvage(aside, salvaged);
        OutboxQueries outbox = new OutboxQueries();
        try (LocalDatabase db = LocalDatabase.open(abs)) {
            db.inTransaction(tx -> {
                for (PendingMessage p : salvaged) {
                    outbox.requeue(tx, p);
                }
                return null;
            });
        }
        return new Result(aside, salvaged.size(), unreadable);
    }

    /** {@code store.db} (and its -wal and -shm, which belong to it) to {@code store.db.damaged-<UTC time>}. */
    private static Path moveAside(Path file) {
        String stamp = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp + "-" + n);
        }
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            for (String suffix : List.of("-wal", "-shm")) {
                Path companion = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(companion)) {
                    Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix),
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot move " + file + " aside: " + StoreException.oneLine(e), e);
        }
        return aside;
    }

    /**
     * Reads what it can of the outbox of {@code file} into {@code into}, never writing to it. Returns false when the
     * outbox could not be read at all (not a database, or the table is lost).
     */
    private static boolean salvage(Path file, List<PendingMessage> into) {
        // A copy is read, so that the kept file stays byte for byte what it was, and a cut-short copy can be made
        // readable (SQLite refuses a file shorter than its header says).
        Path copy = file.resolveSibling(file.getFileName() + ".salvage");
        List<Path> copies = List.of(copy, copy.resolveSibling(copy.getFileName() + "-wal"),
                copy.resolveSibling(copy.getFileName() + "-shm"));
        try {
            copyPrivately(file, copy);
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            if (Files.exists(wal)) copyPrivately(wal, copies.get(1));
            if (DatabaseFile.headerSize(copy) >= 0) DatabaseFile.ignoreHeaderSize(copy);
            return read(copy, into);
        } catch (IOException e) {
            return false;
        } finally {
            for (Path p : copies) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover copy beside the kept file harms nothing
                }
            }
        }
    }

    /** A copy that is 0600 from its first byte: it holds the account's messages. */
    private static void copyPrivately(Path from, Path to) throws IOException {
        Files.deleteIfExists(to);
        PrivateFiles.file(to);
        try (var out = Files.newOutputStream(to, StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.copy(from, out);
        }
    }

    private static boolean read(Path file, List<PendingMessage> into) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        OutboxQueries outbox = new OutboxQueries();
        try (Connection conn = DatabaseFile.driverConnection("jdbc:sqlite:" + file, config.toProperties())) {
            try (Statement st = conn.createStatement()) {
                // Otherwise one table whose first page is lost makes SQLite refuse the whole schema, the outbox too.
                st.execute("PRAGMA writable_schema=1");
            }
            try {
                into.addAll(outbox.list(conn, null));
                return true;
            } catch (RuntimeException whole) {
                // some pages are damaged: read row by row what the ids lead to
            }
            boolean any = false;
            for (long id : ids(conn, outbox)) {
                try {
                    into.addAll(outbox.one(conn, id));
                    any = true;
                } catch (RuntimeException lost) {
                    // this entry's row is damaged: the others may not be
                }
            }
            return any;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The outbox's row ids: from the table, else every id its AUTOINCREMENT counter has handed out. */
    private static List<Long> ids(Connection conn, OutboxQueries outbox) {
        try {
            return outbox.ids(conn);
        } catch (RuntimeException e) {
            List<Long> ids = new ArrayList<>();
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'pending_message'")) {
                long last = rs.next() ? rs.getLong(1) : 0;
                for (long id = 1; id <= last; id++) ids.add(id);
            } catch (SQLException unreadable) {
                // nothing more to try
            }
            return ids;
        }
    }
}
