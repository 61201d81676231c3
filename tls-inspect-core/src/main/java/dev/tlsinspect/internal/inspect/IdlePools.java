package dev.tlsinspect.internal.inspect;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * The library's shared pools grow on demand like a cached pool but give their idle threads back
 * after KEEP_ALIVE_SECONDS instead of 60 s: a health check in a short-lived job must not keep
 * threads around (they are daemons, but they still show in thread dumps and counts), and an
 * inspection that needs a thread again a second later pays only a thread start.
 */
/** Shared daemon pools whose idle threads end within a second. Not API. */
final class IdlePools {
  static final long KEEP_ALIVE_SECONDS = 1;

  private IdlePools() {}

  static ExecutorService cached(String name) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    return pool;
  }
}
