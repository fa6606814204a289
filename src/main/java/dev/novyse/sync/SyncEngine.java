package dev.novyse.sync;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import dev.novyse.store.WalCheckpointer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Brings the local database up to date with the server: a full initialize the first time, then
 * {@code POST /user/update} pages until a reply without {@code hasMore}. Each reply is applied in ONE transaction
 * with the cursors it advances (docs/architecture.md#invariant-1); a reply that cannot be fetched or parsed never touches the database,
 * and a failure while applying rolls the page back, leaving the database at the last page boundary.
 *
 * <p>Pipelined: while page N is applied on the calling thread, page N+1 is fetched on a fetcher thread with the
 * cursors page N will leave ({@link SyncCursors}). The database itself is only touched by the calling thread, one
 * page at a time and in order, so a page and its cursors still commit together; if applying fails, the page
 * fetched ahead is dropped unread and the error propagates.
 */
public final class SyncEngine {
    public static final int DEFAULT_PAGE_LIMIT = 5000;
    /** A server that keeps saying hasMore without moving any cursor would loop forever; stop and say so. */
    static final int MAX_IDLE_PAGES = 3;

    private final SyncSource api;
    private final LocalDatabase db;
    private final int pageLimit;
    private final BatchApplier applier = new BatchApplier();

    public SyncEngine(SyncSource api, LocalDatabase db) {
        this(api, db, DEFAULT_PAGE_LIMIT);
    }

    public SyncEngine(SyncSource api, LocalDatabase db, int pageLimit) {
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
        ExecutorService fetcher = Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-sync-fetch"));
        try {
            return sync(fetcher);
        } finally {
            fetcher.shutdownNow(); // interrupts a fetch still in flight after a failure; its reply is dropped
        }
    }

    /**
     * Once a sync has more than one page, the log's checkpoints move to a thread of their own
     * ({@link LocalDatabase#checkpointsAside}); a one-page sync (the usual up-to-date one) does not pay for starting it.
     */
    private SyncResult sync(ExecutorService fetcher) {
        WalCheckpointer checkpoints = null; // null also when the store cannot: the writer's own go on
        try {
            ApplyStats total = new ApplyStats();
            int pages = 0;
            boolean initialized = false;
            UpdateRequest request;
            Future<UpdateData> next;
            if (!db.isInitialized()) {
                InitializeData data = api.initialize(pageLimit);
                request = SyncCursors.afterInitialize(data);
                next = fetch(fetcher, request);
                if (Boolean.TRUE.equals(data.hasMore())) checkpoints = db.checkpointsAside();
                ApplyStats page = new ApplyStats();
                db.inTransaction(tx -> {
                    applier.applyInitialize(new StoreWriter(tx), data, page);
                    return null;
                });
                total.add(page);
                pages++;
                initialized = true;
            } else {
                request = db.updateRequest();
                next = fetch(fetcher, request);
                api.prepareUpdates(); // while the request travels
            }
            int idle = 0;
            while (true) {
                UpdateData data = await(next);
                // Only a page that says there is more needs the cursors it leaves (the next request is made from them).
                UpdateRequest after = data.more() ? SyncCursors.afterUpdate(request, data) : request;
                // The bodies, not the records: a record's equals is linked on first use (method handle forms spun
                // for each of UpdateRequest's five records, ~17 ms of a cold up-to-date sync), and only a page that
                // says there is more needs the comparison at all.
                idle = data.more() && java.util.Arrays.equals(after.toJson(), request.toJson()) ? idle + 1 : 0;
                boolean more = data.more() && idle < MAX_IDLE_PAGES;
                next = more ? fetch(fetcher, after) : null;
                if (more && checkpoints == null) checkpoints = db.checkpointsAside();
                ApplyStats page = new ApplyStats();
                if (!carriesNothing(data)) {
                    db.inTransaction(tx -> {
                        applier.applyUpdate(new StoreWriter(tx), data, page);
                        return null;
                    });
                }
                total.add(page);
                pages++;
                if (!data.more()) break;
                if (!more) {
                    throw new ApiException(ApiException.Kind.BAD_REPLY, 0, null,
                            "the server keeps answering hasMore without new data; stopped after " + pages + " pages");
                }
                request = after;
            }
            return SyncResult.of(initialized, pages, total);
        } finally {
            if (checkpoints != null) checkpoints.close();
        }
    }

    /**
     * An update with nothing to apply (the up-to-date sync's usual reply) has no cursor to move either: its transaction
     * would write nothing, and a cold JVM spent ~15 ms linking the writer's code for it.
     */
    static boolean carriesNothing(UpdateData data) {
        UpdateData.Chats chats = data.chats();
        UpdateData.Users users = data.users();
        return (chats == null || empty(chats.created()) && empty(chats.events()) && empty(chats.removed()))
                && (users == null || empty(users.created()) && empty(users.events()))
                && empty(data.messages()) && empty(data.local());
    }

    private static boolean empty(java.util.List<?> list) {
        return list == null || list.isEmpty();
    }

    /**
     * Fetches every page a fresh sync of {@code api}'s account would fetch, with the cursors each page leaves, and
     * applies none: the rate at which the server delivers pages to a client that discards them (the core benchmark
     * sets it against the sync's apply rate). Returns the messages fetched.
     */
    public static long drain(SyncSource api, int pageLimit) {
        InitializeData first = api.initialize(pageLimit);
        long messages = count(first.messages());
        if (first.chats() != null) messages += first.chats().stream().mapToLong(c -> count(c.messages())).sum();
        return messages + drain(api, SyncCursors.afterInitialize(first), pageLimit);
    }

    /** {@link #drain(SyncSource, int)} from the given cursors on: the update pages after them, applied nowhere. */
    public static long drain(SyncSource api, UpdateRequest from, int pageLimit) {
        long messages = 0;
        UpdateRequest request = from;
        while (true) {
            UpdateData page = api.update(request, pageLimit);
            messages += count(page.messages());
            if (!page.more()) return messages;
            request = SyncCursors.afterUpdate(request, page);
        }
    }

    private static long count(java.util.List<?> list) {
        return list == null ? 0 : list.size();
    }

    private Future<UpdateData> fetch(ExecutorService fetcher, UpdateRequest request) {
        return fetcher.submit(() -> api.update(request, pageLimit));
    }

    /** The fetched reply, or the fetch's own exception (an ApiException, as a sequential call would throw). */
    private static UpdateData await(Future<UpdateData> reply) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new ApiException(ApiException.Kind.NETWORK, 0, null, "POST /user/update: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.NETWORK, 0, null, "POST /user/update: interrupted", e);
        }
    }
}
