package dev.holdfast.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timing helpers for the harness. Every comparison runs both sides in the same process, interleaved, so that the
 * noise of a shared machine falls on both alike.
 */
final class Measure {
  private Measure() {}

  /** One operation; {@code i} numbers the calls so that operations can vary their keys. */
  @FunctionalInterface
  interface Op {
    void run(long i) throws Exception;
  }

  /** Operations per second of {@code op} on {@code threads} threads for {@code duration}; errors are rethrown. */
  static double throughput(Op op, int threads, Duration duration) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          while (!stop.get()) {
            op.run(seq.getAndIncrement());
            done.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.add(e);
          stop.set(true);
        }
      }, "bench-worker-" + t);
      w.start();
      workers.add(w);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(duration.toMillis());
    long ops = done.get();
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("an operation failed during a throughput run", failures.get(0));
    }
    return ops * 1e9 / elapsed;
  }

  /** Latencies in nanoseconds, sorted. */
  static final class Latencies {
    private final long[] nanos;
    private int n;

    Latencies(int capacity) {
      nanos = new long[capacity];
    }

    void add(long value) {
      nanos[n++] = value;
    }

    long[] sorted() {
      long[] s = Arrays.copyOf(nanos, n);
      Arrays.sort(s);
      return s;
    }

    /** The {@code p}-th percentile (nearest rank) in microseconds. */
    double percentileMicros(double p) {
      long[] s = sorted();
      int rank = (int) Math.ceil(p / 100.0 * s.length);
      return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1_000.0;
    }

    double meanMicros() {
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += nanos[i];
      }
      return sum / (double) n / 1_000.0;
    }
  }

  /**
   * Runs {@code a} and {@code b} {@code count} times each, alternating which goes first, and records each
   * one's latency.
   */
  static Latencies[] interleavedLatencies(Op a, Op b, int count) throws Exception {
    Latencies la = new Latencies(count);
    Latencies lb = new Latencies(count);
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        la.add(time(a, i));
        lb.add(time(b, i));
      } else {
        lb.add(time(b, i));
        la.add(time(a, i));
      }
    }
    return new Latencies[] {la, lb};
  }

  private static long time(Op op, long i) throws Exception {
    long t0 = System.nanoTime();
    op.run(i);
    return System.nanoTime() - t0;
  }

  /**
   * Throughput of {@code a} and {@code b} measured in {@code rounds} alternating rounds (a b, b a, a b, ...);
   * returns {ops/s of a, ops/s of b, lowest per-round ratio b/a, highest per-round ratio b/a}.
   */
  static double[] interleavedThroughput(Op a, Op b, int threads, Duration each, int rounds)
      throws InterruptedException {
    double sumA = 0;
    double sumB = 0;
    double minRatio = Double.MAX_VALUE;
    double maxRatio = 0;
    for (int r = 0; r < rounds; r++) {
      double ta;
      double tb;
      if (r % 2 == 0) {
        ta = throughput(a, threads, each);
        tb = throughput(b, threads, each);
      } else {
        tb = throughput(b, threads, each);
        ta = throughput(a, threads, each);
      }
      sumA += ta;
      sumB += tb;
      minRatio = Math.min(minRatio, tb / ta);
      maxRatio = Math.max(maxRatio, tb / ta);
    }
    return new double[] {sumA / rounds, sumB / rounds, minRatio, maxRatio};
  }
}
