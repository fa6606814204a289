package dev.novyse.store;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
     * Stores this process holds alone (a rebuild): its fresh store opens without a lock of its own, since a second
     * channel's lock on the file would be refused and its closing would drop the first (POSIX again).
     */
    private static final Set<Path> ALONE = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final Path alone;

    private StoreInUse(FileChannel channel, Path alone) {
        this.channel = channel;
        this.alone = alone;
    }

    /** Held while {@code store} is open here; nothing when the lock file cannot be made (a read-only folder). */
    static StoreInUse shared(Path store) {
        if (ALONE.contains(store)) return new StoreInUse(null, null);
        FileChannel ch = channel(store);
        if (ch == null) return new StoreInUse(null, null);
        try {
            ch.lock(0, Long.MAX_VALUE, true); // waits only while a rebuild is under way
            return new StoreInUse(ch, null);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(ch);
            return new StoreInUse(null, null);
        }
    }

    /** Held while {@code store} is moved aside and made anew; refused while any process has it open. */
    static StoreInUse alone(Path store) {
        FileChannel ch = channel(store);
        if (ch == null) return new StoreInUse(null, null);
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, false);
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(ch);
            throw new StoreException("the store " + store + " is open in another novyse (the chat screen, watch or a"
                    + " sync): quit it first, then run this again");
        }
        ALONE.add(store);
        return new StoreInUse(ch, store);
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
        if (alone != null) ALONE.remove(alone);
        if (channel != null) closeQuietly(channel);
    }
}
