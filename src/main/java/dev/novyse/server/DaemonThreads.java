package dev.novyse.server;

import java.util.concurrent.ThreadFactory;

/** The server's background threads: named (they show in a thread dump) and daemon (they never keep it alive). */
public final class DaemonThreads {
    private DaemonThreads() {}

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
