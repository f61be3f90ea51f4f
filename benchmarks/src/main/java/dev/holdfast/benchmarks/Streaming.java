package dev.holdfast.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Item 5: a million rows through holdfast's JDBC stream, in a separate JVM whose whole heap is capped at 64 MB,
 * so that finishing at all proves the bound; the child also reports the heap it saw. As a control, the same JVM
 * size is given a {@code find} that loads every row into a list.
 */
final class Streaming {
  static final int ROWS = 1_000_000;
  static final String HEAP = "64m";

  private Streaming() {}

  static String run(Postgres pg) throws Exception {
    Progress.say("item 5: seeding " + ROWS + " rows");
    pg.exec("DROP TABLE IF EXISTS bench_stream",
        "CREATE TABLE bench_stream (id bigint PRIMARY KEY, name text NOT NULL, qty int NOT NULL)",
        "INSERT INTO bench_stream SELECT g, 'streamed row ' || g, g % 1000 FROM generate_series(1, " + ROWS + ") g",
        "VACUUM ANALYZE bench_stream");
    Progress.say("item 5: streaming in a JVM with -Xmx" + HEAP);
    Map<String, String> stream = child(pg.jdbcUrl(), "stream");
    Progress.say("item 5: control, find() into a list in the same JVM size");
    Map<String, String> list = child(pg.jdbcUrl(), "list");
    Markdown md = new Markdown().heading("5. Streaming 1,000,000 rows through the JDBC stream");
    boolean completed = String.valueOf(ROWS).equals(stream.get("rows"));
    double peakAbove = Double.parseDouble(stream.getOrDefault("peakUsedAboveBaselineMB", "NaN"));
    md.table("Run (JVM with -Xmx" + HEAP + ", G1)", "Rows read", "Baseline heap after GC (MB)",
            "Peak heap used above baseline (MB)", "Peak live heap after a GC, above baseline (MB)", "Time (s)",
            "Outcome")
        .row("`repository.stream(Query.all())`", stream.getOrDefault("rows", "-"),
            stream.getOrDefault("baselineMB", "-"), stream.getOrDefault("peakUsedAboveBaselineMB", "-"),
            stream.getOrDefault("peakLiveAboveBaselineMB", "-"), stream.getOrDefault("seconds", "-"),
            stream.getOrDefault("outcome", "-"))
        .row("control: `repository.find(Query.all())`", list.getOrDefault("rows", "-"),
            list.getOrDefault("baselineMB", "-"), list.getOrDefault("peakUsedAboveBaselineMB", "-"),
            list.getOrDefault("peakLiveAboveBaselineMB", "-"), list.getOrDefault("seconds", "-"),
            list.getOrDefault("outcome", "-"))
        .end();
    md.paragraph(Markdown.f("**Goal: peak heap stays under 64 MB above the baseline** - %s. The streaming JVM's "
        + "entire heap is capped at 64 MB (`-Xmx%s`), so completing the stream is itself the proof; the sampled "
        + "peak of heap used (garbage included, sampled every 5 ms) was %.1f MB above the baseline. The control "
        + "shows the cap binds: loading the same rows into a list %s.",
        Markdown.verdict(completed && peakAbove < 64), HEAP, peakAbove,
        "OutOfMemoryError".equals(list.get("outcome")) ? "runs out of memory" : "did not run out of memory ("
            + list.get("outcome") + ")"));
    return md.toString();
  }

  private static Map<String, String> child(String jdbcUrl, String mode) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + HEAP, "-Xms16m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), StreamChild.COMMAND, jdbcUrl, mode));
    // ExitOnOutOfMemoryError makes the control end quickly and visibly instead of thrashing the collector.
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    Map<String, String> result = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        result.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    if (p.exitValue() == 3 && !result.containsKey("outcome")) {
      result.put("outcome", "OutOfMemoryError");
    }
    result.putIfAbsent("outcome", "exit " + p.exitValue());
    return result;
  }
}
