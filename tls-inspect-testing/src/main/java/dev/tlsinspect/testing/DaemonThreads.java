package dev.tlsinspect.testing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts named daemon threads and remembers them, so that {@code close()} can join every one. */
final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread[] self = new Thread[1];
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } finally {
                threads.remove(self[0]);
            }
        }, prefix + "-" + counter.incrementAndGet());
        self[0] = thread;
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    Thread start(Runnable task) {
        Thread thread = newThread(task);
        thread.start();
        return thread;
    }

    void interruptAll() {
        threads.forEach(Thread::interrupt);
    }

    /** Joins all threads, including any started meanwhile; false if some are alive at the deadline. */
    boolean joinAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Thread> alive = Set.copyOf(threads);
            if (alive.stream().noneMatch(Thread::isAlive)) {
                return true;
            }
            for (Thread thread : alive) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    thread.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
