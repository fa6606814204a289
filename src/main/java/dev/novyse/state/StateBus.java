package dev.novyse.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The in-process event bus holding the current {@link AppState} (the Zustand analogue). Changes are functions
 * of the previous snapshot, applied one at a time; every subscriber is told of every new snapshot, in order.
 * It holds no UI code: the TUI and {@code watch} only subscribe.
 */
public final class StateBus {
    private final Object lock = new Object();
    private final List<Consumer<AppState>> subscribers = new CopyOnWriteArrayList<>();
    private volatile AppState current = AppState.empty();

    public AppState current() {
        return current;
    }

    /**
     * Applies a change and notifies subscribers with the new snapshot. Notification happens under the same lock
     * as the change, so subscribers see snapshots in version order; they must be quick (hand off to their own
     * thread, as the TUI does with its redraw queue).
     */
    public AppState update(UnaryOperator<AppState> change) {
        synchronized (lock) {
            AppState changed = change.apply(current);
            if (changed == current) {
                return current;
            }
            AppState next = changed.next();
            current = next;
            for (Consumer<AppState> s : subscribers) {
                s.accept(next);
            }
            return next;
        }
    }

    /** Subscribes and immediately delivers the current snapshot; returns a handle that unsubscribes. */
    public AutoCloseable subscribe(Consumer<AppState> subscriber) {
        synchronized (lock) {
            subscribers.add(subscriber);
            subscriber.accept(current);
        }
        return () -> subscribers.remove(subscriber);
    }
}
