package dev.flagsync.localstack;

import java.util.concurrent.CountDownLatch;

/** A child JVM for {@link ChildJvmIT}: says it started, and when SIGTERM stops it, that it stops. */
public final class TalkativeChild {

    private TalkativeChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping on SIGTERM")));
        System.out.println("started");
        new CountDownLatch(1).await();
    }
}
