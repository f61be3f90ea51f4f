package dev.holdfast.benchmarks;

import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.jdbc.JdbcBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The child JVM of {@link Streaming}: reads every row of {@code bench_stream} and prints what the heap did. */
final class StreamChild {
  static final String COMMAND = "stream-child";
  private static final Table<Item, Long> TABLE = Table.builder("bench_stream", Item.class, Long.class).build();

  private StreamChild() {}

  static void main(String[] args) throws Exception {
    String url = args[1];
    boolean list = args[2].equals("list");
    try (Holdfast db = Holdfast.builder(JdbcBackend.builder(url).maximumPoolSize(2).build()).build()) {
      Repository<Item, Long> repo = db.repository(TABLE);
      repo.findById(1L); // connections, column types and class loading happen before the baseline
      System.gc();
      System.gc();
      long baseline = heapUsed();
      AtomicLong peakUsed = new AtomicLong(baseline);
      AtomicLong peakLive = new AtomicLong(baseline);
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peakUsed.accumulateAndGet(heapUsed(), Math::max);
          peakLive.accumulateAndGet(heapAfterLastGc(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long t0 = System.nanoTime();
      long rows;
      long sum = 0;
      if (list) {
        List<Item> all = repo.find(Query.all().withoutLimit());
        rows = all.size();
      } else {
        try (Stream<Item> s = repo.stream(Query.all())) {
          long[] acc = new long[2];
          s.forEach(item -> {
            acc[0]++;
            acc[1] += item.qty();
          });
          rows = acc[0];
          sum = acc[1];
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      sampler.join();
      System.out.println("rows=" + rows);
      System.out.println("qtySum=" + sum);
      System.out.println("baselineMB=" + mb(baseline));
      System.out.println("peakUsedAboveBaselineMB=" + mb(peakUsed.get() - baseline));
      System.out.println("peakLiveAboveBaselineMB=" + mb(Math.max(0, peakLive.get() - baseline)));
      System.out.println("seconds=" + String.format(Locale.ROOT, "%.1f", seconds));
      System.out.println("outcome=completed");
    }
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }

  private static long heapAfterLastGc() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1024.0 / 1024.0);
  }
}
