package dev.novyse.store;

import dev.novyse.protocol.Message;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.protocol.Role;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.protocol.User;

import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local SQLite store of one account (one file per account, invariant 6). One JDBC connection guarded by a
 * lock: the TUI thread and the sync thread take turns, which keeps SQLite's own locking out of the picture
 * inside a process. Reads are by window (a chat list page, a message window), never whole tables; export streams
 * (through {@link #readSnapshots}). The one exception to the single connection: a snapshot shared out over threads
 * (a JSON Lines export reading chats in parallel) opens short-lived read-only connections of its own, and closes
 * them before it returns.
 */
public final class LocalDatabase implements AutoCloseable {
    private final Path file;
    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private final ViewQueries views;
    private final OutboxQueries outbox;
    private final FileQueries files;
    private final boolean exclusive; // holding the file's lock (a full disk: no shared memory), so no reader can open
    private volatile WalCheckpointer checkpointer; // while a long sync runs: see checkpointsAside
    private final StoreInUse inUse; // a rebuild waits for every process that has the store open

    private LocalDatabase(Path file, StoreInUse inUse, int targetVersion) {
        this.file = file;
        this.inUse = inUse;
        this.conn = inUse.opening(() -> DatabaseFile.open(file, targetVersion));
        this.exclusive = DatabaseFile.exclusive(conn);
        this.views = new ViewQueries(conn);
        this.outbox = new OutboxQueries();
        this.files = new FileQueries(views);
    }

    /** Opens (creating if needed, mode 0600) and migrates the database at {@code file} to the latest schema. */
    public static LocalDatabase open(Path file) {
        return open(file, Migrations.latest());
    }

    /** Opens and migrates up to {@code targetVersion} only: tests use it to build databases of earlier versions. */
    static LocalDatabase open(Path file, int targetVersion) {
        Path abs = file.toAbsolutePath();
        return new LocalDatabase(abs, StoreInUse.shared(abs), targetVersion);
    }

    public Path file() {
        return file;
    }

    /** The schema version ({@code PRAGMA user_version}). */
    public int schemaVersion() {
        return locked(() -> (int) views.longValue("PRAGMA user_version", 0));
    }

    // ---- transactions -----------------------------------------------------------------------------------

    /** Work done inside one write transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Tx tx) throws Exception;
    }

    /**
     * Runs {@code work} in one IMMEDIATE transaction: it commits when work returns and rolls back when it throws
     * (the exception is rethrown; checked ones wrapped in {@link StoreException}). Not reentrant.
     */
    public <T> T inTransaction(TxWork<T> work) {
        lock.lock();
        try {
            exec("BEGIN IMMEDIATE");
            Tx tx = new Tx(conn);
            boolean committed = false;
            try {
                T result = work.run(tx);
                tx.finish();
                tx.close();
                exec("COMMIT");
                committed = true;
                WalCheckpointer c = checkpointer;
                if (c != null) c.committed();
                return result;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StoreException(StoreException.oneLine(e), e);
            } finally {
                if (!committed) {
                    tx.close();
                    try {
                        exec("ROLLBACK");
                    } catch (StoreException ignored) {
                        // SQLite already rolled back (e.g. after SQLITE_FULL); nothing more to undo
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Until closed, the log is checkpointed on a thread of its own after each commit ({@link WalCheckpointer}); null when it cannot be. */
    public WalCheckpointer checkpointsAside() {
        WalCheckpointer c = exclusive ? null : locked(() -> WalCheckpointer.start(conn, file, lock));
        checkpointer = c; // once closed, its commit signals are ignored
        return c;
    }

    private void exec(String sql) {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new StoreException("local database: " + StoreException.oneLine(e), e);
        }
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** A multi-statement read in one read transaction, so it sees one consistent snapshot. */
    private <T> T snapshot(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            exec("BEGIN");
            try {
                return read.get();
            } finally {
                exec("COMMIT");
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- sync state and cursors -------------------------------------------------------------------------

    public boolean isInitialized() {
        return locked(() -> views.longValue("SELECT value FROM sync_state WHERE key = ?", 0,
                StoreWriter.INITIALIZED) == 1);
    }

    public Optional<String> accountUserUUID() {
        return locked(views::accountUserUUID);
    }

    /** The account's user-event cursor ({@code local.eventID}). */
    public long localEventId() {
        return locked(() -> views.longValue("SELECT value FROM sync_state WHERE key = ?", 0,
                StoreWriter.LOCAL_EVENT_ID));
    }

    /** Counters of skipped inputs, e.g. {@code chatEvent.SOME_TYPE → 2}. */
    public Map<String, Long> skippedCounts() {
        return locked(views::skippedCounts);
    }

    /** The body of the next {@code POST /user/update}: every stored chat, sub and user with its cursor. */
    public UpdateRequest updateRequest() {
        return snapshot(views::updateRequest);
    }

    /** Per-sub message cursors of one chat (MAX(message.id) per sub). */
    public List<UpdateRequest.SubCursor> subCursors(String chatUUID) {
        return locked(() -> views.subCursors(chatUUID));
    }

    // ---- views ------------------------------------------------------------------------------------------

    /** The chat list: pinned chats first by position, then by latest message; at most {@code limit} rows. */
    public List<ChatSummary> chatList(int limit) {
        return locked(() -> views.chats(null, null, limit));
    }

    /** The chat list with counts in its first {@code counted} rows only (the first frame's): -1 below them. */
    public List<ChatSummary> chatListCountingFirst(int limit, int counted) {
        return locked(() -> views.chatsCountingFirst(limit, counted));
    }

    /**
     * The chat list again after changes to the {@code changed} chats only: their unread and mention counts are
     * counted anew, every other chat keeps its counts from {@code previous} (counting every chat's unread messages
     * is what makes the whole list slow: about 100 ms with 100k unread, TuiBenchmark). Names, last messages and
     * the order are read anew. A chat missing from {@code previous} is counted too.
     */
    public List<ChatSummary> chatList(int limit, List<ChatSummary> previous, Set<String> changed) {
        return locked(() -> {
            Map<String, ChatSummary> before = new HashMap<>();
            for (ChatSummary c : previous) before.put(c.uuid(), c);
            List<ChatSummary> rows = views.chats(null, null, limit, changed);
            Set<String> recount = new HashSet<>(changed);
            for (ChatSummary c : rows) {
                if (c.unreadCount() < 0 && !before.containsKey(c.uuid())) recount.add(c.uuid());
            }
            if (recount.size() > changed.size()) rows = views.chats(null, null, limit, recount);
            List<ChatSummary> out = new ArrayList<>(rows.size());
            for (ChatSummary c : rows) {
                ChatSummary old = c.unreadCount() < 0 ? before.get(c.uuid()) : null;
                out.add(old == null ? c : c.withCounts(old.unreadCount(), old.mentionCount()));
            }
            return out;
        });
    }

    public Optional<ChatSummary> chat(String chatUUID) {
        return locked(() -> views.chats("c.uuid = ?", new Object[]{chatUUID}, 1).stream().findFirst());
    }

    /**
     * Chats matching {@code query} by uuid, by handle (with or without a leading '@') or by exact name, all
     * case-insensitive. Several matches are possible; choosing is the caller's business.
     */
    public List<ChatSummary> findChats(String query) {
        String q = query.trim();
        String handle = q.startsWith("@") ? q.substring(1) : q;
        return locked(() -> views.chats("(c.uuid = ? OR c.handle = ? COLLATE NOCASE OR c.name = ? COLLATE NOCASE)",
                new Object[]{q, handle, q}, 1000));
    }

    /** The newest {@code limit} messages of a (chat, sub), oldest first. */
    public List<MessageView> latest(String chatUUID, int subID, int limit) {
        return snapshot(() -> views.window(chatUUID, subID, Long.MAX_VALUE, limit));
    }

    /** Up to {@code limit} messages with {@code id < beforeId}, oldest first (scrolling back). */
    public List<MessageView> before(String chatUUID, int subID, long beforeId, int limit) {
        return snapshot(() -> views.window(chatUUID, subID, beforeId, limit));
    }

    /**
     * Messages whose content matches an FTS5 query ({@link FullTextQuery}), in {@code chatUUID} only unless it is
     * null, newest first; empty if {@code superseded} says so first (a
     * newer query was typed). SQLite asks it every few thousand steps too: a common word's search sorts every hit
     * (100–200 ms with 1M messages, TuiBenchmark), and a stale one held the store while the newer one waited.
     */
    public Optional<List<MessageView>> search(String ftsQuery, String chatUUID, int limit,
                                              java.util.function.BooleanSupplier superseded) {
        lock.lock();
        try {
            if (superseded.getAsBoolean()) return Optional.empty();
            return snapshot(() -> {
                try {
                    ProgressHandler.setHandler(conn, 1000, new ProgressHandler() {
                        @Override
                        protected int progress() {
                            return superseded.getAsBoolean() ? 1 : 0;
                        }
                    });
                    try {
                        return Optional.of(views.search(ftsQuery, chatUUID, limit));
                    } finally {
                        ProgressHandler.clearHandler(conn);
                    }
                } catch (StoreException e) {
                    if (e.getCause() instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_INTERRUPT) {
                        return Optional.empty();
                    }
                    throw e;
                } catch (SQLException e) {
                    throw new StoreException("local database: " + StoreException.oneLine(e), e);
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** The account's favourite messages (those stored), most recently favourited first. */
    public List<MessageView> favorites(int limit) {
        return locked(() -> views.favorites(limit));
    }

    /** A group's, channel's or forum's description; empty when it has none. */
    public Optional<String> chatDescription(String chatUUID) {
        return locked(() -> views.chatDescription(chatUUID));
    }

    public List<PinnedMessageView> pinnedMessages(String chatUUID) {
        return locked(() -> views.pinned(chatUUID));
    }

    public List<MemberView> members(String chatUUID) {
        return locked(() -> views.members(chatUUID));
    }

    public List<Sub> subs(String chatUUID) {
        return locked(() -> views.subs(chatUUID));
    }

    public Optional<User> user(String uuid) {
        return locked(() -> views.user(uuid));
    }

    /** Users a command names: by uuid, handle (with or without '@'), name or "name surname". */
    public List<User> findUsers(String wanted) {
        return locked(() -> views.findUsers(wanted));
    }

    public List<Role> roles(String chatUUID) {
        return locked(() -> views.roles(chatUUID));
    }

    /** The roles the account holds, by chat uuid (chats with its member row stored), in role-id order. */
    public Map<String, List<Role>> accountRoles() {
        return locked(views::accountRoles);
    }

    /** The account's synced settings, key to value as JSON text, by key. */
    public Map<String, String> syncedSettings() {
        return locked(views::syncedSettings);
    }

    /** The account's own handle (for mentions), once a sync stored its profile. */
    public Optional<String> accountHandle() {
        return locked(views::myHandle);
    }

    public List<ReadMarker> readMarkers(String chatUUID, int subID) {
        return locked(() -> views.readMarkers(chatUUID, subID));
    }

    /**
     * A setting of this device only (the TUI's last open chat, say): scope 'local', so a sync never replaces
     * or removes it, unlike the account's synced settings.
     */
    public Optional<String> localSetting(String key) {
        return locked(() -> views.localSetting(key));
    }

    public void setLocalSetting(String key, String value) {
        inTransaction(tx -> LocalRows.putSetting(tx, key, value));
    }

    /** Each sub's unread and mention counts (a forum's topics), sub 0 first. */
    public List<SubUnread> subUnread(String chatUUID) {
        return locked(() -> views.subUnread(chatUUID));
    }

    /** What was typed in a chat's sub and not sent; empty when nothing was. */
    public String draft(String chatUUID, int subID) {
        return locked(() -> views.draft(chatUUID, subID));
    }

    /** Keeps {@code text} as the chat's draft; blank text removes it. */
    public void saveDraft(String chatUUID, int subID, String text) {
        inTransaction(tx -> LocalRows.saveDraft(tx, chatUUID, subID, text));
    }

    // ---- files ------------------------------------------------------------------------------------------

    /** A file of a stored, not deleted message, by its uuid. */
    public Optional<StoredFile> file(String fileUUID) {
        return locked(() -> files.file(fileUUID));
    }

    /** The files of one message, in their order. */
    public List<StoredFile> messageFiles(String chatUUID, int subID, long messageID) {
        return locked(() -> files.messageFiles(chatUUID, subID, messageID));
    }

    /** The newest {@code limit} files of a chat (every sub), oldest first. */
    public List<StoredFile> chatFiles(String chatUUID, int limit) {
        return locked(() -> files.chatFiles(chatUUID, limit));
    }

    // ---- outbox -----------------------------------------------------------------------------------------

    /** Queues a message to send; returns its tempId (a fresh random UUID, the server's idempotency key). */
    public String enqueue(String chatUUID, int subID, String content, ReplyTo replyTo, List<OutgoingFile> files) {
        return inTransaction(tx -> outbox.enqueue(tx, chatUUID, subID, content, replyTo, files));
    }

    /** Every outbox entry (any state), oldest first. */
    public List<PendingMessage> outbox() {
        return snapshot(() -> outbox.list(conn, null));
    }

    /** Outbox entries still to send (state PENDING), oldest first. */
    public List<PendingMessage> pending() {
        return snapshot(() -> outbox.list(conn, OutboxState.PENDING));
    }

    /** Counts one failed attempt and keeps the entry PENDING. */
    public void markAttempt(String tempId, String error) {
        inTransaction(tx -> tx.update("UPDATE pending_message SET attempts = attempts + 1, last_error = ?"
                + " WHERE tempId = ?", error, tempId));
    }

    /** Gives up on an entry (state FAILED) until the user retries it; {@code attempted}: the server refused it. */
    public void markFailed(String tempId, String error, boolean attempted) {
        inTransaction(tx -> tx.update("UPDATE pending_message SET state = 'FAILED', last_error = ?,"
                + " attempts = attempts + ? WHERE tempId = ?", error, attempted ? 1 : 0, tempId));
    }

    /** Puts a FAILED entry back to PENDING. */
    public void retry(String tempId) {
        inTransaction(tx -> tx.update("UPDATE pending_message SET state = 'PENDING' WHERE tempId = ?"
                + " AND state = 'FAILED'", tempId));
    }

    /** Removes an entry (and its files, by cascade) whatever its state; returns whether there was one. */
    public boolean drop(String tempId) {
        return inTransaction(tx -> tx.update("DELETE FROM pending_message WHERE tempId = ?", tempId) > 0);
    }

    /** Records upload progress of an attached file. */
    public void markFileProgress(long pendingFileId, long uploadedBytes, OutboxState state) {
        inTransaction(tx -> tx.update("UPDATE pending_file SET uploaded = ?, state = ? WHERE id = ?",
                uploadedBytes, state.name(), pendingFileId));
    }

    /**
     * The server accepted {@code tempId} as {@code serverMessage}: in ONE transaction the outbox row goes and the
     * message is stored. Returns false if the message was not stored because its id would skip ahead of the sub's
     * cursor (messages in between not synced yet; trusting it would make the sync skip them — invariant 4): the
     * entry is then kept as SENT and the next sync delivers the message and removes it.
     */
    public boolean acknowledge(String tempId, Message serverMessage) {
        return inTransaction(tx -> outbox.acknowledge(tx, tempId, serverMessage));
    }

    /** The reactions queued while the server was unreachable. */
    public ReactionQueue reactionQueue() {
        return new ReactionQueue(this);
    }

    /** A read of the queued reactions under the store's lock (for {@link ReactionQueue}). */
    List<PendingReaction> queuedReactions() {
        return locked(() -> outbox.reactions(views));
    }

    // ---- reading much at once (export) ---------------------------------------------------------------------

    /**
     * The one way export code reads the store: runs {@code work} with {@link ReadSnapshots consistent snapshots}
     * of it, holding the store's lock until the work returns. A snapshot shared out over threads reads on
     * connections of its own, which it closes. JDBC failures the work lets through become a {@link StoreException}.
     */
    public <T> T readSnapshots(ReadSnapshots.Work<T> work) throws IOException {
        lock.lock();
        try {
            ReadSnapshots.Readers readers = exclusive ? LocalDatabase::noReaders : () -> DatabaseFile.openReader(file);
            return work.run(new ReadSnapshots(conn, readers));
        } catch (SQLException e) {
            throw new StoreException("local database read failed: " + StoreException.oneLine(e), e);
        } finally {
            lock.unlock();
        }
    }

    private static Connection noReaders() throws SQLException {
        throw new SQLException("the store is held by this connection alone (the disk is full)");
    }

    /**
     * Whether the store holds nothing an import could clash with or silently bury: no server data, no settings,
     * no sync state, no outbox.
     */
    public boolean isEmpty() {
        return locked(views::storeEmpty);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            DatabaseFile.closeQuietly(conn);
        } finally {
            inUse.close();
            lock.unlock();
        }
    }
}
