package dev.novyse.store;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether a store is open in some process, for the one thing that must not run beside one: {@code sync --rebuild}
 * moves the file aside, and a chat screen or {@code watch} still holding it would go on writing into the moved file
 * (a message queued there, a draft, lost to the fresh store). Every open store holds a shared lock on
 * {@code <store>.lock}, an advisory lock the kernel drops with the process (a crash leaves none); the rebuild takes it
 * alone or refuses. A file of its own: a POSIX lock is per process and file, so one taken and released on the store's
 * own file would release SQLite's locks on it too.
 */
final class StoreInUse implements AutoCloseable {
    /**
     * The lock file's channel per store, shared by every open of it in this process (counted): a second channel's
     * lock on the file would be refused, and closing it would drop the first one's (POSIX again). Guards ALONE too.
     */
    private static final Map<Path, Held> HELD = new HashMap<>();
    /** Stores this process holds alone (a rebuild): its fresh store opens without a lock of its own. */
    private static final Set<Path> ALONE = new HashSet<>();

    private static final class Held {
        final FileChannel channel;
        int opens;

        Held(FileChannel channel) {
            this.channel = channel;
        }
    }

    private final Path store;
    /** The rebuild's own channel; null for a shared open (its channel is {@link #HELD}'s). */
    private final FileChannel alone;
    private final boolean counted;
    private boolean closed;

    private StoreInUse(Path store, FileChannel alone, boolean counted) {
        this.store = store;
        this.alone = alone;
        this.counted = counted;
    }

    /** Held while {@code store} is open here; nothing when the lock file cannot be made (a read-only folder). */
    static StoreInUse shared(Path store) {
        synchronized (HELD) {
            if (ALONE.contains(store)) return new StoreInUse(store, null, false);
            Held held = HELD.get(store);
            if (held == null) {
                FileChannel ch = channel(store);
                if (ch == null) return new StoreInUse(store, null, false);
                try {
                    ch.lock(0, Long.MAX_VALUE, true); // waits only while a rebuild is under way
                } catch (IOException | OverlappingFileLockException e) {
                    closeQuietly(ch);
                    return new StoreInUse(store, null, false);
                }
                held = new Held(ch);
                HELD.put(store, held);
            }
            held.opens++;
            return new StoreInUse(store, null, true);
        }
    }

    /** Held while {@code store} is moved aside and made anew; refused while any process (this one too) has it open. */
    static StoreInUse alone(Path store) {
        synchronized (HELD) {
            FileLock lock = null;
            FileChannel ch = null;
            if (!HELD.containsKey(store)) { // open here: refused as in another process
                ch = channel(store);
                if (ch == null) return new StoreInUse(store, null, false);
                try {
                    lock = ch.tryLock(0, Long.MAX_VALUE, false);
                } catch (IOException | OverlappingFileLockException e) {
                    lock = null;
                }
            }
            if (lock == null) {
                if (ch != null) closeQuietly(ch);
                throw new StoreException("the store " + store + " is open in another novyse (the chat screen, watch or"
                        + " a sync): quit it first, then run this again");
            }
            ALONE.add(store);
            return new StoreInUse(store, ch, false);
        }
    }

    /** {@code open}'s connection; when opening fails, the lock goes with it. */
    Connection opening(Supplier<Connection> open) {
        try {
            return open.get();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static FileChannel channel(Path store) {
        Path file = store.resolveSibling(store.getFileName() + ".lock");
        try {
            PrivateFiles.file(file);
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing releases the lock; nothing else to undo
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            if (alone != null) {
                ALONE.remove(store);
                closeQuietly(alone);
            } else if (counted) {
                Held held = HELD.get(store);
                if (held != null && --held.opens == 0) {
                    HELD.remove(store);
                    closeQuietly(held.channel);
                }
            }
        }
    }
}
