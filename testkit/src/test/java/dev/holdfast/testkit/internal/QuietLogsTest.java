package dev.holdfast.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class QuietLogsTest {
  @Test
  void pgjdbcsStreamCloseWarningNeverReachesTheConsoleHandlers() {
    List<LogRecord> atRoot = new CopyOnWriteArrayList<>();
    Handler root = new Handler() {
      @Override
      public void publish(LogRecord record) {
        atRoot.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger("").addHandler(root);
    try {
      QuietLogs.install();
      QuietLogs.install();
      Logger.getLogger("org.postgresql.core.ConnectionFactory")
          .log(Level.WARNING, "Failed to closed stream with error: {0}", new java.io.IOException("reset"));
      Logger.getLogger("org.postgresql.Driver").log(Level.WARNING, "another pgjdbc warning");

      assertThat(atRoot).extracting(LogRecord::getMessage).containsExactly("another pgjdbc warning");
    } finally {
      Logger.getLogger("").removeHandler(root);
    }
  }

  @Test
  void zonkysInfoLinesAreOffUnderSlf4jSimpleUnlessTheUserChoseALevel() {
    QuietLogs.install();

    // The testkit's own tests run on slf4j-simple with no level set for io.zonky (the build's default level, warn,
    // would hide INFO anyway, so the property is what is checked; examples/src/it/consumer checks the output).
    assertThat(System.getProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres")).isEqualTo("warn");
  }
}
