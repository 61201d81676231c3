package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the shared pools give their idle threads back within about a second (not 60 s), and
 * their threads are daemons. Checked on the pool's own configuration and by polling its size with
 * a generous limit (no speed is asserted).
 */
class IdlePoolsTest {

  @Test
  void idleThreadsEnd_andAreDaemons() throws Exception {
    ExecutorService pool = IdlePools.cached("tls-inspect-test-pool");
    ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
    assertEquals(0, tpe.getCorePoolSize());
    assertEquals(IdlePools.KEEP_ALIVE_SECONDS, tpe.getKeepAliveTime(TimeUnit.SECONDS));
    CountDownLatch done = new CountDownLatch(4);
    boolean[] daemon = new boolean[4];
    for (int i = 0; i < 4; i++) {
      int k = i;
      pool.execute(() -> {
        daemon[k] = Thread.currentThread().isDaemon();
        done.countDown();
      });
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    for (boolean d : daemon) {
      assertTrue(d);
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (tpe.getPoolSize() > 0 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertEquals(0, tpe.getPoolSize(), "idle threads end after the keep-alive");
    pool.shutdown();
  }
}
