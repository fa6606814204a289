package dev.novyse.store;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.PinnedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A message stored with {@code pinned: false} loses its pin, whether the pin came from an earlier transaction, from
 * the chat's pin list before the message itself arrived, or from this same transaction; no other pin goes with it.
 */
class PinnedMessagesTest {
    @TempDir
    Path dir;

    @Test
    void aMessageSaidUnpinnedLosesItsPinWhereverThePinCameFrom() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("p.db"))) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                // the chat's list pins message 3 before it is stored, and message 9, which stays pinned throughout
                w.upsertChat(new Chat("g1", "GROUP", "Garden", null, null, 0L, null, List.of(), List.of(), List.of(),
                        List.of(new PinnedMessage(0, 3, Fixtures.at(3), "u-ann"), new PinnedMessage(0, 9, Fixtures.at(9), "u-ann")),
                        null));
                w.upsertMessage(Fixtures.rich("g1", 0, 1, "u-ann", "one", List.of(), List.of(), List.of(), null, true));
                return null;
            });
            assertEquals(List.of(1L, 3L, 9L), pins(db));
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertMessage(Fixtures.rich("g1", 0, 1, "u-ann", "one", List.of(), List.of(), List.of(), null, false));
                w.upsertMessage(Fixtures.msg("g1", 0, 2, "u-ann", "two")); // says nothing of a pin: none to drop
                w.upsertMessage(Fixtures.rich("g1", 0, 3, "u-ann", "three", List.of(), List.of(), List.of(), null, false));
                w.pinMessage("g1", 0, 4, Fixtures.at(4), "u-ann"); // pinned in this transaction, then said unpinned
                w.upsertMessage(Fixtures.rich("g1", 0, 4, "u-ann", "four", List.of(), List.of(), List.of(), null, false));
                w.upsertMessage(Fixtures.rich("g1", 0, 5, "u-ann", "five", List.of(), List.of(), List.of(), null, false));
                return null;
            });
            assertEquals(List.of(9L), pins(db));
        }
    }

    private static List<Long> pins(LocalDatabase db) {
        return db.inTransaction(tx -> tx.queryRows("SELECT messageID FROM pinned_message ORDER BY messageID")).stream()
                .map(r -> ((Number) r[0]).longValue()).toList();
    }
}
