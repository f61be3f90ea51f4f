package dev.holdfast.benchmarks;

import dev.holdfast.benchmarks.jmh.CoreOverheadBenchmark;
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

/** Item 1: runs {@link CoreOverheadBenchmark} through JMH and compares the wrappers' overheads. */
final class CoreOverhead {
  private CoreOverhead() {}

  static String run(Path jmhLog) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(CoreOverheadBenchmark.class.getName() + "\\.")
        .addProfiler(GCProfiler.class)
        .output(jmhLog.toString())
        .build()).run();
    Map<String, Result<?>> byName = new HashMap<>();
    Map<String, Result<?>> allocated = new HashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String name = label.substring(label.lastIndexOf('.') + 1);
      byName.put(name, r.getPrimaryResult());
      allocated.put(name, r.getSecondaryResults().get("gc.alloc.rate.norm"));
    }
    Result<?> direct = byName.get("direct");
    Result<?> failsafe = byName.get("failsafe");
    Result<?> retryOnly = byName.get("holdfastRetryOnly");
    Result<?> defaults = byName.get("holdfastDefaults");
    Markdown md = new Markdown().heading("1. Core overhead (JMH)");
    md.paragraph("A no-op call (returns a field) made directly, through bare Failsafe with an equivalent retry policy "
        + "(3 attempts, exponential backoff 100 ms to 2 s, jitter), through a holdfast Guard with the same retry "
        + "policy only, and through a Guard with `ResiliencePolicy.defaults()` (adds deadline, attempt timeout, "
        + "circuit breaker and retry budget). JMH average time, 2 forks x 3 warmups x 5 iterations of 1 s, one "
        + "thread; ± is JMH's 99.9 % confidence half-width.");
    Markdown.Table t = md.table("Call", "ns/op", "± ns", "Overhead over direct (ns)", "Allocated (B/op)");
    for (String name : new String[] {"direct", "failsafe", "holdfastRetryOnly", "holdfastDefaults",
        "holdfastDefaultsListened"}) {
      Result<?> r = byName.get(name);
      Result<?> bytes = allocated.get(name);
      t.row("`" + name + "`", Markdown.f("%.1f", r.getScore()), Markdown.f("%.1f", err(r)),
          name.equals("direct") ? "-" : Markdown.f("%.1f", r.getScore() - direct.getScore()),
          bytes == null ? "-" : Markdown.f("%.0f", bytes.getScore()));
    }
    t.end();
    double fsOver = failsafe.getScore() - direct.getScore();
    double ratio = (retryOnly.getScore() - direct.getScore()) / fsOver;
    double low = (retryOnly.getScore() - err(retryOnly) - direct.getScore() - err(direct))
        / (failsafe.getScore() + err(failsafe) - direct.getScore() + err(direct));
    double highDenominator = failsafe.getScore() - err(failsafe) - direct.getScore() - err(direct);
    String band = highDenominator <= 0
        ? Markdown.f("at least %.2fx within the error bars; Failsafe's error bar reaches zero, so there is no upper "
            + "bound", low)
        : Markdown.f("%.2fx to %.2fx within the error bars", low,
            (retryOnly.getScore() + err(retryOnly) - direct.getScore() + err(direct)) / highDenominator);
    double ratioDefaults = (defaults.getScore() - direct.getScore()) / fsOver;
    md.paragraph(Markdown.f("**Goal: holdfast adds at most 1.5x what bare Failsafe adds.** Like for like (retry "
        + "policy only): holdfast's overhead is **%.2fx** Failsafe's (%s) - %s. "
        + "With the full default policy it is %.2fx.", ratio, band, Markdown.verdict(ratio <= 1.5),
        ratioDefaults));
    Result<?> bare = allocated.get("holdfastRetryOnly");
    Result<?> quiet = allocated.get("holdfastDefaults");
    Result<?> heard = allocated.get("holdfastDefaultsListened");
    if (bare != null && quiet != null && heard != null) {
      md.paragraph(Markdown.f("**Listeners cost nothing when nobody listens.** A successful call allocates %.0f "
          + "bytes through a retry-only guard and %.0f bytes through the default policy (the breaker's and "
          + "budget's bookkeeping), with only the logging listener installed, at INFO; with one more listener that "
          + "does nothing it allocates %.0f bytes: the %.0f bytes of the events and the call's GuardedCall are made "
          + "only when somebody listens (JMH `-prof gc`, `gc.alloc.rate.norm`).", bare.getScore(), quiet.getScore(),
          heard.getScore(), heard.getScore() - quiet.getScore()));
    }
    return md.toString();
  }

  private static double err(Result<?> r) {
    double e = r.getScoreError();
    return Double.isNaN(e) ? 0 : e;
  }
}
