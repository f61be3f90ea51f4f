package dev.holdfast;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures what slf4j-simple prints (it writes to the current System.err) while open. */
final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private LogCapture() {
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  static LogCapture start() {
    return new LogCapture();
  }

  /** The lines logged by {@code logger} at {@code level}. */
  synchronized List<String> lines(String level, String logger) {
    System.err.flush();
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\\R"))
        .filter(line -> line.contains(level + " " + logger + " - "))
        .toList();
  }

  /** The WARN lines of the safe layer. */
  List<String> safeWarnings() {
    return lines("WARN", "dev.holdfast.Safe");
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
