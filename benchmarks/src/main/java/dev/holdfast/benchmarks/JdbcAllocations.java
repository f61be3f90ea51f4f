package dev.holdfast.benchmarks;

import dev.holdfast.benchmarks.jmh.JdbcSelectBenchmark;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Item 2b: what a select by id allocates, holdfast against hand-written pgjdbc ({@link JdbcSelectBenchmark}). */
final class JdbcAllocations {
  private JdbcAllocations() {}

  static String run(Path jmhLog) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(JdbcSelectBenchmark.class.getName() + "\\.")
        .addProfiler(GCProfiler.class)
        .output(jmhLog.toString())
        .build()).run();
    Map<String, Result<?>> time = new HashMap<>();
    Map<String, Result<?>> bytes = new HashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String name = label.substring(label.lastIndexOf('.') + 1);
      time.put(name, r.getPrimaryResult());
      bytes.put(name, r.getSecondaryResults().get("gc.alloc.rate.norm"));
    }
    Markdown md = new Markdown().heading("2b. JDBC select by id: allocation per call (JMH)");
    md.paragraph("`JdbcSelectBenchmark`: one thread, select by id over the same one-connection HikariCP pool with "
        + "holdfast's driver settings against an embedded PostgreSQL 16, hand-written pgjdbc reading the row into "
        + "a record against `Repository.findById` with `ResiliencePolicy.defaults()`. JMH average time, 1 fork x 3 "
        + "warmups x 5 iterations of 2 s; bytes from `-prof gc` (`gc.alloc.rate.norm`), the driver's own "
        + "allocations included on both sides.");
    Markdown.Table t = md.table("Call", "µs/op", "± µs", "Allocated (B/op)");
    for (String name : new String[] {"raw", "holdfast"}) {
      Result<?> r = time.get(name);
      Result<?> b = bytes.get(name);
      t.row("`" + name + "`", Markdown.f("%.1f", r.getScore()), Markdown.f("%.1f", err(r)),
          b == null ? "-" : Markdown.f("%.0f", b.getScore()));
    }
    t.end();
    Result<?> raw = bytes.get("raw");
    Result<?> hf = bytes.get("holdfast");
    if (raw != null && hf != null) {
      md.paragraph(Markdown.f("holdfast allocates **%.0f bytes more per select** than hand-written pgjdbc "
          + "(%.2fx).", hf.getScore() - raw.getScore(), hf.getScore() / raw.getScore()));
    }
    return md.toString();
  }

  private static double err(Result<?> r) {
    double e = r.getScoreError();
    return Double.isNaN(e) ? 0 : e;
  }
}
