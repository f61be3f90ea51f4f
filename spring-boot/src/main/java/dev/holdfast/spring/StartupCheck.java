package dev.holdfast.spring;

import dev.holdfast.Holdfast;
import dev.holdfast.jdbc.ConnectionDoctor;
import dev.holdfast.jdbc.JdbcBackend;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * {@code holdfast.startup.fail-fast} for JDBC: connects once at startup and fails it with the connection
 * doctor's finding when that does not work. Stateless.
 */
final class StartupCheck {
  static final String OFF = " Or set holdfast.startup.fail-fast=false to start while it is down; holdfast "
      + "then retries each call under its policy.";

  private StartupCheck() {}

  /** Diagnoses the URL with the doctor, or borrows one connection from the application's DataSource. */
  static void jdbc(Holdfast db, JdbcBackend backend, String url, Duration timeout) {
    ConnectionDoctor.Finding failed = url != null ? firstError(ConnectionDoctor.diagnose(url, timeout))
        : borrow(backend.dataSource(), timeout);
    if (failed != null) {
      db.close();
      throw new BackendUnavailableException("jdbc", failed.message() + " [" + failed.topic() + "]",
          failed.advice() + OFF, null);
    }
  }

  private static ConnectionDoctor.Finding firstError(ConnectionDoctor.Report report) {
    return report.findings().stream().filter(f -> f.severity() == ConnectionDoctor.Severity.ERROR).findFirst()
        .orElse(null);
  }

  private static ConnectionDoctor.Finding borrow(DataSource dataSource, Duration timeout) {
    CompletableFuture<Void> connect = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (Connection c = dataSource.getConnection()) {
        // A connection that is open but already closed on the server side is no success.
        if (c.isClosed()) {
          throw new java.sql.SQLException("The DataSource handed out a closed connection", "08003");
        }
        connect.complete(null);
      } catch (Throwable e) {
        connect.completeExceptionally(e);
      }
    }, "holdfast-startup-check");
    t.setDaemon(true);
    t.start();
    try {
      connect.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return ConnectionDoctor.explain(e.getCause());
    } catch (TimeoutException e) {
      t.interrupt();
      return new ConnectionDoctor.Finding(ConnectionDoctor.Severity.ERROR, "connection.timeout",
          "The DataSource gave no connection within " + timeout.toMillis() + " ms",
          "Check the DataSource's URL (spring.datasource.url), firewalls and the database's state.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
