package dev.holdfast.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The harness behind docs/benchmarks.md.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar                 # every figure, as markdown on stdout
 * java -jar benchmarks/target/benchmarks.jar core jdbc       # only some sections
 * java -jar benchmarks/target/benchmarks.jar soak 10m        # the soak, for a duration (s, m or h)
 * java -jar benchmarks/target/benchmarks.jar cluster         # item 8: a real Patroni cluster (about 3 minutes)
 * </pre>
 *
 * Sections: core (1), jdbc (2), postgrest (3), batches (4), stream (5), outage (6: a MockPostgrest outage, and
 * recovery after restarts of PostgreSQL and PgBouncer). Progress goes to stderr.
 */
public final class Main {
  static final List<String> SECTIONS = List.of("core", "jdbc", "alloc", "postgrest", "batches", "stream", "outage");

  private Main() {}

  public static void main(String[] args) throws Exception {
    // Quiet the guard's retry logging and the embedded server's chatter; the report is the output.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    // HikariCP logs every refused connection with a stack trace; the soak causes thousands on purpose.
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "off");
    if (args.length > 0 && args[0].equals("soak")) {
      Duration d = args.length > 1 ? parseDuration(args[1]) : Duration.ofMinutes(10);
      System.out.print(Soak.run(d));
      System.exit(0);
    }
    if (args.length > 0 && args[0].equals("cluster")) {
      OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
      String report = ClusterScenarios.run();
      OffsetDateTime ended = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
      System.out.print(Machine.describe(started, ended) + "\n" + report);
      System.exit(0);
    }
    if (args.length > 0 && args[0].equals(StreamChild.COMMAND)) {
      StreamChild.main(args);
      return;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String a : args) {
      if (!SECTIONS.contains(a)) {
        System.err.println("unknown section " + a + "; sections are " + SECTIONS + " or: soak <duration>");
        System.exit(2);
      }
      wanted.add(a);
    }
    if (wanted.isEmpty()) {
      wanted.addAll(SECTIONS);
    }
    System.out.print(run(wanted));
    System.exit(0);
  }

  static String run(Set<String> wanted) throws Exception {
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    List<String> sections = new ArrayList<>();
    if (wanted.contains("core")) {
      Progress.say("item 1: JMH core overhead (about 2 minutes)");
      Path log = Files.createTempFile("holdfast-jmh", ".log");
      sections.add(CoreOverhead.run(log));
    }
    if (wanted.contains("alloc")) {
      Progress.say("item 2b: JMH allocation per JDBC select (about 1 minute)");
      sections.add(JdbcAllocations.run(Files.createTempFile("holdfast-jmh-jdbc", ".log")));
    }
    boolean needsDb = wanted.contains("jdbc") || wanted.contains("batches") || wanted.contains("stream");
    if (needsDb) {
      Progress.say("starting embedded PostgreSQL and PgBouncer");
      try (Postgres pg = Postgres.start(false); PgBouncer bouncer = PgBouncer.start(pg.port(), 2)) {
        if (wanted.contains("jdbc")) {
          sections.add(JdbcComparison.run(pg, bouncer));
        }
        if (wanted.contains("postgrest")) {
          sections.add(PostgrestComparison.run());
        }
        if (wanted.contains("batches")) {
          sections.add(Batches.run(pg));
        }
        if (wanted.contains("stream")) {
          sections.add(Streaming.run(pg));
        }
      }
    } else if (wanted.contains("postgrest")) {
      sections.add(PostgrestComparison.run());
    }
    if (wanted.contains("outage")) {
      sections.add(Outage.run());
      sections.add(Recovery.run());
    }
    OffsetDateTime ended = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    StringBuilder out = new StringBuilder();
    out.append(Machine.describe(started, ended)).append('\n');
    sections.forEach(s -> out.append(s));
    return out.toString();
  }

  static Duration parseDuration(String s) {
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("a duration like 90s, 10m or 1h: " + s);
    };
  }
}
