package dev.novyse.store;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.Sub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a writer learned about messages' states (prefetched for a page's events) follows its own writes: a deletion,
 * a new message, a sub's messages gone; every answer equals the table's.
 */
class MessageStatesTest {
    @TempDir
    Path dir;

    @Test
    void prefetchedStatesFollowTheWritersOwnWrites() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("s.db"))) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertChat(new Chat("g1", "GROUP", "Garden", null, null, 0L, null, List.of(), List.of(),
                        List.of(new Sub(0, "general", "DEFAULT", null), new Sub(1, "side", "TEXT", null)), List.of(), null));
                w.upsertMessage(Fixtures.msg("g1", 0, 1, "u-ann", "one"));
                w.upsertMessage(Fixtures.msg("g1", 0, 2, "u-ann", "two"));
                w.upsertMessage(Fixtures.msg("g1", 1, 1, "u-ann", "side one"));
                return null;
            });
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.prefetchMessageStates("g1", 0, List.of(1L, 2L, 3L));
                w.prefetchMessageStates("g1", 1, List.of(1L));
                agree(tx, w, 0, 1, 0);
                agree(tx, w, 0, 3, -1);
                w.deleteMessage("g1", 0, 1, 5L, Fixtures.at(5), "u-ann");
                agree(tx, w, 0, 1, 1);
                w.upsertMessage(Fixtures.msg("g1", 0, 3, "u-ann", "three"));
                agree(tx, w, 0, 3, 0);
                w.upsertMessage(Fixtures.tombstone("g1", 0, 2, "u-ann"));
                agree(tx, w, 0, 2, 1);
                agree(tx, w, 1, 1, 0);
                w.deleteSub("g1", 1);
                agree(tx, w, 1, 1, -1);
                return null;
            });
        }
    }

    private static void agree(Tx tx, StoreWriter w, int sub, long id, int expected) {
        long table = tx.queryLong("SELECT deleted FROM message WHERE chatUUID = 'g1' AND subID = ? AND id = ?", -1, sub, id);
        assertEquals(expected, table, "the table: sub " + sub + " id " + id);
        assertEquals(expected, w.messageState("g1", sub, id), "the writer: sub " + sub + " id " + id);
    }
}
