package dev.novyse.sync;

import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;

/**
 * Brings the local database up to date with the server: a full initialize the first time, then
 * {@code POST /user/update} pages until a reply without {@code hasMore}. Each reply is applied in ONE transaction
 * with the cursors it advances (invariant 1); a reply that cannot be fetched or parsed never touches the database,
 * and a failure while applying rolls the page back, leaving the database at the last page boundary.
 */
public final class SyncEngine {
    public static final int DEFAULT_PAGE_LIMIT = 5000;
    /** A server that keeps saying hasMore without moving any cursor would loop forever; stop and say so. */
    static final int MAX_IDLE_PAGES = 3;

    private final ApiClient api;
    private final LocalDatabase db;
    private final int pageLimit;
    private final BatchApplier applier = new BatchApplier();

    public SyncEngine(ApiClient api, LocalDatabase db) {
        this(api, db, DEFAULT_PAGE_LIMIT);
    }

    public SyncEngine(ApiClient api, LocalDatabase db, int pageLimit) {
        if (pageLimit < 1 || pageLimit > 10_000) throw new IllegalArgumentException("page limit must be 1..10000");
        this.api = api;
        this.db = db;
        this.pageLimit = pageLimit;
    }

    /** The applier, for applying single live events through the same code. */
    public BatchApplier applier() {
        return applier;
    }

    /**
     * Runs one sync. Throws {@link ApiException} (network, refusal, malformed reply) or
     * {@link dev.novyse.store.StoreException} (local database); the database then holds every page committed
     * before the failure and nothing of the failed one.
     */
    public SyncResult sync() {
        ApplyStats total = new ApplyStats();
        int pages = 0;
        boolean initialized = false;
        if (!db.isInitialized()) {
            InitializeData data = api.initialize(pageLimit);
            ApplyStats page = new ApplyStats();
            db.inTransaction(tx -> {
                applier.applyInitialize(new StoreWriter(tx), data, page);
                return null;
            });
            total.add(page);
            pages++;
            initialized = true;
        }
        int idle = 0;
        while (true) {
            UpdateRequest request = db.updateRequest();
            UpdateData data = api.update(request, pageLimit);
            ApplyStats page = new ApplyStats();
            db.inTransaction(tx -> {
                applier.applyUpdate(new StoreWriter(tx), data, page);
                return null;
            });
            total.add(page);
            pages++;
            if (!data.more()) break;
            idle = request.equals(db.updateRequest()) ? idle + 1 : 0;
            if (idle >= MAX_IDLE_PAGES) {
                throw new ApiException(ApiException.Kind.BAD_REPLY, 0, null,
                        "the server keeps answering hasMore without new data; stopped after " + pages + " pages");
            }
        }
        return SyncResult.of(initialized, pages, total);
    }
}
