package dev.novyse.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Writes queued with {@link Tx#queue} run in call order, before anything reads, and roll back with their page. */
class TxQueueTest {
    @TempDir
    Path dir;

    @Test
    void queuedRowsAreSeenByTheNextStatementAndCommitted() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("q.db"))) {
            long seen = db.inTransaction(tx -> {
                for (int i = 0; i < 2500; i++) tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "k" + i, i);
                return tx.queryLong("SELECT COUNT(*) FROM sync_state WHERE key LIKE 'k%'", -1);
            });
            assertEquals(2500, seen, "a query after queued writes sees every one of them");
            // queued last, nothing after them in the transaction: they run before it commits
            db.inTransaction(tx -> {
                tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "last", 1);
                return null;
            });
            assertEquals(Long.valueOf(1), db.inTransaction(tx -> tx.queryLong("SELECT value FROM sync_state WHERE key = 'last'", -1)));
        }
    }

    @Test
    void differentStatementsKeepTheirCallOrder() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("o.db"))) {
            db.inTransaction(tx -> {
                tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "a", 1);
                tx.queue("UPDATE sync_state SET value = value * 10 WHERE key = ?", "a");
                tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "b", 2);
                tx.queue("UPDATE sync_state SET value = value + 1 WHERE key IN ('a', 'b')");
                return null;
            });
            List<Object[]> rows = db.inTransaction(tx -> tx.queryRows(
                    "SELECT key, value FROM sync_state WHERE key IN ('a', 'b') ORDER BY key"));
            assertEquals(List.of("a=11", "b=3"), rows.stream().map(r -> r[0] + "=" + r[1]).toList());
        }
    }

    @Test
    void aFailingQueuedRowFailsTheTransactionAndNothingOfItStays() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("f.db"))) {
            StoreException e = assertThrows(StoreException.class, () -> db.inTransaction(tx -> {
                tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "x", 1);
                tx.queue("INSERT INTO sync_state(key, value) VALUES (?, ?)", "x", 2); // same key: UNIQUE fails
                return null;
            }));
            StoreException direct = assertThrows(StoreException.class, () -> db.inTransaction(tx -> {
                tx.update("INSERT INTO sync_state(key, value) VALUES (?, ?)", "y", 1);
                return tx.update("INSERT INTO sync_state(key, value) VALUES (?, ?)", "y", 2);
            }));
            assertEquals(direct.getMessage(), e.getMessage(), "a queued write fails in the same words as a direct one");
            assertEquals(Long.valueOf(0), db.inTransaction(tx -> tx.queryLong("SELECT COUNT(*) FROM sync_state WHERE key = 'x'", -1)));
            // the store stays usable: the next transaction commits normally
            db.inTransaction(tx -> tx.update("INSERT INTO sync_state(key, value) VALUES ('x', 3)"));
            assertEquals(Long.valueOf(3), db.inTransaction(tx -> tx.queryLong("SELECT value FROM sync_state WHERE key = 'x'", -1)));
        }
    }

    @Test
    void childRowsRunBehindTheQueuedRowsTheyNeedWithoutEndingTheirRun() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("c.db"))) {
            db.inTransaction(tx -> {
                tx.update("CREATE TABLE parent(k TEXT PRIMARY KEY)");
                tx.update("CREATE TABLE child(k TEXT NOT NULL REFERENCES parent(k), n INTEGER, UNIQUE (k, n))");
                for (int i = 0; i < 3; i++) {
                    // each child names the parent queued just before it: it may only run after that row
                    tx.queue("INSERT INTO parent(k) VALUES (?)", "p" + i);
                    tx.queueChild("INSERT INTO child(k, n) VALUES (?, ?)", "p" + i, i);
                    tx.queueChild("INSERT OR IGNORE INTO child(k, n) VALUES (?, ?)", "p" + i, 10 + i);
                }
                // the second child statement queued as a run of its own: the rows queued before it run first
                tx.queue("INSERT OR IGNORE INTO child(k, n) VALUES (?, ?)", "p0", 10);
                tx.queue("INSERT OR IGNORE INTO child(k, n) VALUES (?, ?)", "p0", 20);
                return null;
            });
            List<Object[]> rows = db.inTransaction(tx -> tx.queryRows("SELECT k, n FROM child ORDER BY rowid"));
            // the parents' run, then each child statement's rows in the order of its first row, then the later run
            assertEquals(List.of("p0=0", "p1=1", "p2=2", "p0=10", "p1=11", "p2=12", "p0=20"),
                    rows.stream().map(r -> r[0] + "=" + r[1]).toList());
        }
    }

    @Test
    void aFailingChildRowFailsTheTransaction() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("cf.db"))) {
            db.inTransaction(tx -> {
                tx.update("CREATE TABLE parent(k TEXT PRIMARY KEY)");
                return tx.update("CREATE TABLE child(k TEXT NOT NULL REFERENCES parent(k))");
            });
            assertThrows(StoreException.class, () -> db.inTransaction(tx -> {
                tx.queue("INSERT INTO parent(k) VALUES (?)", "a");
                tx.queueChild("INSERT INTO child(k) VALUES (?)", "b"); // no such parent
                return null;
            }));
            assertEquals(Long.valueOf(0), db.inTransaction(tx -> tx.queryLong("SELECT COUNT(*) FROM parent", -1)),
                    "the queued parent row rolled back with the failing child");
        }
    }
}
