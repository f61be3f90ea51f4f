package dev.holdfast.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;

/** The facts about the machine and run that every figure depends on. */
final class Machine {
  private Machine() {}

  static String describe(OffsetDateTime started, OffsetDateTime ended) {
    return "Run " + started + " to " + ended + " (UTC) on " + Runtime.getRuntime().availableProcessors()
        + " cores (" + cpuModel() + "), " + memory() + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + "; JDK " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + "; PostgreSQL 16 (embedded, zonky); "
        + PgBouncer.version() + ". The machine is shared with other jobs.\n";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try {
      String total = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().orElse("");
      long kb = Long.parseLong(total.replaceAll("\\D", ""));
      return Math.round(kb / 1024.0 / 1024.0) + " GB RAM";
    } catch (IOException | RuntimeException e) {
      return "unknown RAM";
    }
  }
}
