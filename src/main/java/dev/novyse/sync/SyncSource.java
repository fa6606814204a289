package dev.novyse.sync;

import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;

/**
 * Where the {@link SyncEngine} gets its pages: {@code GET /user/initialize} and {@code POST /user/update}
 * (docs/protocol.md#s3). The {@link ApiClient} over HTTP everywhere; the demo, which runs its server in the same
 * process, hands over the server's own replies without the loopback round trip (see {@code novyse demo}).
 */
public interface SyncSource {
    /** The first page of a full initialize: at most {@code limit} messages. */
    InitializeData initialize(int limit);

    /** The page after {@code request}'s cursors: at most {@code limit} messages. */
    UpdateData update(UpdateRequest request, int limit);

    /**
     * Gets ready to read update replies without holding up the caller: the engine calls it while its first request is
     * on the way, so that work that would otherwise wait for the reply overlaps the round trip.
     */
    default void prepareUpdates() {
    }
}
