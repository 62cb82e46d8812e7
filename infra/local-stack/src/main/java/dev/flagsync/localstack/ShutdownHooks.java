package dev.flagsync.localstack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM shutdown hook of the local stack: it closes whatever is still open, newest first,
 * so a test JVM that ends without closing its servers leaves no process and no folder behind.
 * The registry is the only static mutable state of the module.
 */
final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();
    private static boolean installed;

    private ShutdownHooks() {
    }

    /** Adds the resource, or moves it to the top if it is there: closed first. */
    static synchronized void register(AutoCloseable resource) {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHooks::closeAll, "flagsync-local-stack-shutdown"));
            installed = true;
        }
        OPEN.remove(resource);
        OPEN.push(resource);
    }

    static synchronized void unregister(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    private static void closeAll() {
        List<AutoCloseable> open;
        // Closing calls unregister(), so work on a copy and never hold the lock while closing.
        synchronized (ShutdownHooks.class) {
            open = List.copyOf(OPEN);
        }
        for (AutoCloseable resource : open) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("could not close {} at JVM exit", resource, e);
            }
        }
    }
}
