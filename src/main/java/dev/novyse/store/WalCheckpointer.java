package dev.novyse.store;

import dev.novyse.concurrent.DaemonThreads;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checkpoints the write-ahead log on a connection and thread of its own while a sync writes page after page.
 * SQLite's automatic checkpoint runs inside the committing call: every few pages the writer stopped to copy the log
 * into the file and wait for its fsync, about a seventh of a 100k sync's apply time (docs/benchmarks.md). Here the
 * writer only appends to the log, and after each commit this thread runs a PASSIVE checkpoint, which never blocks
 * the writer and copies only what is committed; the log restarts from its beginning at the writer's next
 * transaction once a checkpoint has caught up. Nothing about durability changes: a commit is in the log either way,
 * and a crash leaves a longer log that the next open replays. When it ends the writer's automatic checkpoint is
 * back; a checkpoint that fails (disk trouble) is left to it then.
 */
public final class WalCheckpointer implements AutoCloseable {
    /** SQLite's default, restored when the sync ends. */
    private static final int AUTO_CHECKPOINT_PAGES = 1000;

    private final Connection writer;
    /** The store's lock, held for the writer's pragma. */
    private final java.util.concurrent.locks.Lock writerLock;
    private final Connection own;
    private final Thread thread;
    private final Object signal = new Object();
    private int commits;
    private boolean closing;

    private WalCheckpointer(Connection writer, Connection own, java.util.concurrent.locks.Lock writerLock) throws SQLException {
        this.writer = writer;
        this.writerLock = writerLock;
        this.own = own;
        pragma(writer, "PRAGMA wal_autocheckpoint=0");
        this.thread = DaemonThreads.start("novyse-wal-checkpoint", this::run);
    }

    /** Takes over checkpoints of {@code writer}'s file; null when no second connection can open (see exclusive). */
    static WalCheckpointer start(Connection writer, Path file, java.util.concurrent.locks.Lock writerLock) {
        Connection own = null;
        try {
            own = DatabaseFile.openReader(file);
            return new WalCheckpointer(writer, own, writerLock);
        } catch (SQLException e) {
            if (own != null) DatabaseFile.closeQuietly(own);
            return null; // the writer's automatic checkpoint goes on as before
        }
    }

    /** A transaction committed: there is log to copy. */
    void committed() {
        synchronized (signal) {
            commits++;
            signal.notifyAll();
        }
    }

    private void run() {
        try (Statement st = own.createStatement()) {
            while (true) {
                synchronized (signal) {
                    while (commits == 0 && !closing) signal.wait();
                    if (commits == 0) return;
                    commits = 0;
                }
                try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    rs.next();
                }
            }
        } catch (SQLException | InterruptedException e) {
            // no checkpoint now: the writer's own takes over again when this closes
        }
    }

    /** Waits for the last checkpoint to end, closes its connection and gives checkpoints back to the writer. */
    @Override
    public void close() {
        synchronized (signal) {
            closing = true;
            signal.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DatabaseFile.closeQuietly(own);
        writerLock.lock();
        try {
            pragma(writer, "PRAGMA wal_autocheckpoint=" + AUTO_CHECKPOINT_PAGES);
        } catch (SQLException e) {
            // the writer is gone or broken; its next open starts with the default again
        } finally {
            writerLock.unlock();
        }
    }

    private static void pragma(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
