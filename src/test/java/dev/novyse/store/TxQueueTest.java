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
}
