package dev.novyse.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * Every background thread of the client and the server is made here: named, so it shows for what it is in a thread
 * dump, and daemon, so it never keeps a CLI command or a stopping server alive. (Shutdown hooks are not background
 * threads and are made where they are registered.)
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** A factory for an executor whose threads all carry {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> create(name, r);
    }

    /** A daemon thread, not yet started. */
    public static Thread create(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** A daemon thread, started. */
    public static Thread start(String name, Runnable body) {
        Thread t = create(name, body);
        t.start();
        return t;
    }
}
