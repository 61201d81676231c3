package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.Code;
import dev.tlsinspect.Report;
import dev.tlsinspect.ScanOptions;
import dev.tlsinspect.Target;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/*
 * Many inspections under the limits of ScanOptions, as a stream: the caller's thread reads the
 * targets lazily into a small look-ahead buffer and dispatches each one when a slot is free
 * (overall and for its host) and the rate and per-host delay allow; finished reports go to the
 * consumer one at a time, in the order they finish. Memory is bounded by the buffer and the
 * inspections in flight, never by the number of targets.
 *
 * The look-ahead lets a target of an idle host start while the first targets of the buffer wait
 * for their busy host (a file sorted by host would otherwise run one host at a time).
 *
 * Inspections run on virtual threads when the JVM has them (Java 21+, found by reflection because
 * the library is compiled for 17), else on a pool of daemon platform threads, one per slot.
 *
 * Shared by the CLI's scan and by anyone else who inspects many endpoints (an exporter, a health
 * check); it knows nothing about output.
 */
/** Runs many inspections with concurrency, per-host, rate and delay limits. Not API. */
public final class Batch {
  /** Targets read ahead of the running inspections, beyond one per slot. */
  private static final int LOOKAHEAD_EXTRA = 64;
  /** How far the per-host delay grows while a host refuses connections. */
  private static final int MAX_BACKOFF_FACTOR = 32;

  private final ScanOptions limits;
  private final Function<Target, Report> inspect;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /*
   * One result handed to the caller at a time. A lock, not a monitor: a virtual thread blocked on
   * a monitor (or in I/O inside one, as the caller's output writer is) pins its carrier on JDK
   * 21-23, and every inspection thread queues here.
   */
  private final java.util.concurrent.locks.ReentrantLock deliver = new java.util.concurrent.locks.ReentrantLock();
  private final Map<String, Host> hosts = new HashMap<>(); // guarded by lock
  private int running; // guarded by lock
  private Throwable failure; // guarded by lock
  private long nextStart = Long.MIN_VALUE; // the rate limit's next slot; dispatcher only

  /** Per-host state: inspections running, the earliest next start, the current pause. */
  private static final class Host {
    int running;
    long nextStartNanos = Long.MIN_VALUE;
    long gapNanos;
  }

  /**
   * @param limits the limits
   * @param inspect inspects one target; must not throw for what the network does
   */
  public Batch(ScanOptions limits, Function<Target, Report> inspect) {
    this.limits = limits;
    this.inspect = inspect;
  }

  /**
   * Inspects every target and hands each report to {@code each} as it finishes, one call at a
   * time. Returns when all have finished. An exception from the targets' iterator or from
   * {@code each} stops new starts, waits for the running inspections (without delivering them)
   * and is rethrown; an interrupt does the same and returns with the interrupt flag set.
   *
   * @param targets the targets, read lazily
   * @param each receives each report
   */
  public void run(Iterator<? extends Target> targets, Consumer<? super Report> each) {
    int lookahead = limits.concurrency() + LOOKAHEAD_EXTRA;
    ArrayDeque<Target> pending = new ArrayDeque<>();
    ExecutorService executor = executor(limits.concurrency());
    boolean interrupted = false;
    try {
      while (true) {
        // Read outside the lock: a slow source must not hold up finishing inspections.
        while (pending.size() < lookahead && !failed() && targets.hasNext()) {
          pending.add(java.util.Objects.requireNonNull(targets.next(), "target"));
        }
        if (pending.isEmpty() || failed()) {
          break;
        }
        Target next;
        String key;
        try {
          next = reserve(pending);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
        if (next == null) {
          break; // failed while waiting
        }
        key = hostKey(next);
        Target target = next;
        try {
          executor.execute(() -> runOne(target, key, each));
        } catch (RejectedExecutionException e) {
          release(key, null);
          throw e;
        }
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      try {
        awaitIdle();
      } catch (InterruptedException e) {
        interrupted = true;
      }
      executor.shutdown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f;
    lock.lock();
    try {
      f = failure;
    } finally {
      lock.unlock();
    }
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
  }

  /**
   * Takes from {@code pending} the first target that may start now, waiting until one may, and
   * counts it as running; {@code null} when a failure ends the run.
   */
  private Target reserve(ArrayDeque<Target> pending) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (failure != null) {
          return null;
        }
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        if (running < limits.concurrency()) {
          if (limits.rate() > 0 && now - nextStart < 0) {
            wait = nextStart - now;
          } else {
            hosts.values().removeIf(h -> h.running == 0 && h.gapNanos <= baseGap()
                && now - h.nextStartNanos >= 0);
            for (Iterator<Target> it = pending.iterator(); it.hasNext(); ) {
              Target t = it.next();
              Host h = hosts.get(hostKey(t));
              if (h != null && h.running >= limits.perHost()) {
                continue;
              }
              if (h != null && now - h.nextStartNanos < 0) {
                wait = Math.min(wait, h.nextStartNanos - now);
                continue;
              }
              it.remove();
              if (h == null) {
                h = new Host();
                h.gapNanos = baseGap();
                hosts.put(hostKey(t), h);
              }
              h.running++;
              h.nextStartNanos = now + h.gapNanos;
              running++;
              if (limits.rate() > 0) {
                long step = (long) (1e9 / limits.rate());
                nextStart = (nextStart == Long.MIN_VALUE || now - nextStart > step ? now : nextStart) + step;
              }
              return t;
            }
          }
        }
        if (wait == Long.MAX_VALUE) {
          changed.await();
        } else {
          changed.awaitNanos(wait);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void runOne(Target target, String key, Consumer<? super Report> each) {
    Report report = null;
    try {
      report = inspect.apply(target);
      deliver.lock();
      try {
        if (!failed()) {
          each.accept(report);
        }
      } catch (RuntimeException | Error e) {
        fail(e); // recorded before the lock is released, so no other report is delivered after it
      } finally {
        deliver.unlock();
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      release(key, report);
    }
  }

  private void release(String key, Report report) {
    lock.lock();
    try {
      running--;
      Host h = hosts.get(key);
      if (h != null) {
        h.running--;
        long base = baseGap();
        if (base > 0 && report != null) {
          if (report.hasFinding(Code.CONNECTION_REFUSED)) {
            long grown = Math.min(h.gapNanos * 2, base * MAX_BACKOFF_FACTOR);
            h.nextStartNanos += grown - h.gapNanos;
            h.gapNanos = grown;
          } else {
            h.gapNanos = base;
          }
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void fail(Throwable e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean failed() {
    lock.lock();
    try {
      return failure != null;
    } finally {
      lock.unlock();
    }
  }

  private void awaitIdle() throws InterruptedException {
    lock.lock();
    try {
      while (running > 0) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  private long baseGap() {
    return limits.delay().toNanos();
  }

  /**
   * The host a target's connections go to, which the per-host limit counts: the proxy, else the
   * connect address, else the host name; without the port.
   *
   * @param target the target
   * @return the key
   */
  public static String hostKey(Target target) {
    return target.proxy().map(p -> p.host())
        .orElse(target.address().orElse(target.host())).toLowerCase(Locale.ROOT);
  }

  /*
   * Virtual threads when the JVM has them (Java 21+): an inspection mostly waits on a socket.
   * Otherwise daemon platform threads, at most one per slot, which end when idle.
   */
  private static ExecutorService executor(int concurrency) {
    try {
      Object e = Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      return (ExecutorService) e;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      AtomicInteger count = new AtomicInteger();
      java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
          concurrency, concurrency, 1, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "tls-inspect-scan-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /**
   * Whether inspections run on virtual threads in this JVM.
   *
   * @return {@code true} on Java 21 and later
   */
  public static boolean virtualThreads() {
    try {
      Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
