package dev.novyse.export;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.export.JsonlChatWriter.Chat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Chats of a JSON Lines export shared out over reader threads, one per reader connection, and written in chat order:
 * each reader encodes its chats into a lane (a bounded queue of output chunks) and the calling thread writes the
 * lanes' chunks to the output one chat after another. The connections all read one snapshot
 * ({@link dev.novyse.store.ReadSnapshots#share}); their owner closes them.
 */
final class JsonlChatLanes {
    private JsonlChatLanes() {}

    /** How many output chunks a reader may hold ahead of the writing thread. */
    private static final int CHUNKS_AHEAD = 8;

    /** What a reader thread hands the writing thread, in order: chunks of a chat, then the chat's end (or a failure). */
    private sealed interface LaneItem permits Chunk, ChatEnd, Failure {
    }

    private record Chunk(byte[] bytes, int length) implements LaneItem {
    }

    /**
     * A reader's queue to the writing thread and the way back for written chunk buffers: recycled, a buffer stays
     * one long-lived array instead of megabytes of queued garbage that every young collection would copy.
     */
    private record Lane(BlockingQueue<LaneItem> items, BlockingQueue<byte[]> free) {
        Lane() {
            // Room for every buffer that can be out at once: the queued chunks, the one being written, the one
            // being filled.
            this(new ArrayBlockingQueue<>(CHUNKS_AHEAD), new ArrayBlockingQueue<>(CHUNKS_AHEAD + 2));
        }
    }

    private record ChatEnd(long rows) implements LaneItem {
    }

    private record Failure(Throwable error) implements LaneItem {
    }

    /**
     * Reader {@code k} of {@code w} exports chats k, k+w, k+2w ... into its own bounded queue (its lane); this
     * thread writes the lanes' chunks to {@code os} in chat order. A reader runs at most {@link #CHUNKS_AHEAD}
     * chunks ahead, and the chat being written is always some reader's current one, so no reader waits forever;
     * a reader that ends without a last word (an error in reporting its error) is noticed by its thread's end.
     */
    static long write(List<Connection> readers, Map<String, byte[]> userNames, List<Chat> chats, String since,
                      OutputStream os) throws SQLException, IOException {
        int w = readers.size();
        List<Thread> threads = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        try {
            for (int k = 0; k < w; k++) {
                Lane lane = new Lane();
                lanes.add(lane);
                int first = k;
                Connection c = readers.get(k);
                threads.add(DaemonThreads.create("novyse-export-" + k,
                        () -> read(c, userNames, chats, since, first, w, lane)));
            }
            threads.forEach(Thread::start);
            long n = 0;
            for (int i = 0; i < chats.size(); i++) {
                Lane lane = lanes.get(i % w);
                Thread reader = threads.get(i % w);
                while (true) {
                    LaneItem item = lane.items().poll(200, TimeUnit.MILLISECONDS);
                    if (item == null) {
                        if (!reader.isAlive() && lane.items().isEmpty()) {
                            throw new SQLException(reader.getName() + " ended without finishing its chats");
                        }
                    } else if (item instanceof Chunk chunk) {
                        os.write(chunk.bytes(), 0, chunk.length());
                        if (chunk.bytes().length == JsonlBuffer.CHUNK) lane.free().offer(chunk.bytes());
                    } else if (item instanceof ChatEnd end) {
                        n += end.rows();
                        break;
                    } else {
                        Throwable e = ((Failure) item).error();
                        if (e instanceof SQLException s) throw s;
                        if (e instanceof IOException io) throw io;
                        if (e instanceof RuntimeException r) throw r;
                        if (e instanceof Error err) throw err;
                        throw new IllegalStateException(e);
                    }
                }
            }
            os.flush();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        } finally {
            stop(threads);
        }
    }

    /** Interrupts the readers and waits for every one to end, even if this thread is interrupted meanwhile. */
    private static void stop(List<Thread> threads) {
        boolean interrupted = Thread.interrupted();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A reader thread's work; its end (normal or not) is the last item it queues. */
    private static void read(Connection c, Map<String, byte[]> userNames, List<Chat> chats, String since,
                             int first, int step, Lane lane) {
        BlockingQueue<LaneItem> q = lane.items();
        JsonlBuffer out = new JsonlBuffer(new QueueDrain(lane));
        try {
            JsonlChatWriter writer = new JsonlChatWriter(c, userNames, since, out);
            try {
                for (int i = first; i < chats.size(); i += step) {
                    long rows = writer.write(chats.get(i));
                    out.handOff();
                    q.put(new ChatEnd(rows));
                }
            } finally {
                writer.close();
            }
        } catch (InterruptedException | InterruptedIOException e) {
            // the writing thread stopped us (its output failed, or another reader's did): nothing to report
        } catch (Throwable e) {
            try {
                q.put(new Failure(e));
            } catch (InterruptedException ignored) {
                // the writing thread is gone already
            }
        }
    }

    /** A reader's buffer drains into its lane, and goes on with a buffer the writing thread is done with. */
    private record QueueDrain(Lane lane) implements JsonlBuffer.Drain {
        @Override
        public byte[] drain(byte[] buf, int length) throws IOException {
            try {
                lane.items().put(new Chunk(buf, length));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("export cancelled");
            }
            byte[] next = lane.free().poll();
            return next != null ? next : new byte[JsonlBuffer.CHUNK];
        }
    }
}
