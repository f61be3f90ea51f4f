package dev.holdfast.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.holdfast.CallContext;
import dev.holdfast.HealthReport;
import dev.holdfast.HoldfastException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bounded-time probe: {@code SELECT current_setting('server_version')} on a connection from the pool, run on a
 * daemon thread so that waiting for a pooled connection cannot outlast the caller's timeout. Internal;
 * thread-safe.
 */
public final class HealthProbe implements AutoCloseable {
  private final Connections connections;
  private final HikariDataSource pool;
  private volatile ExecutorService executor;

  public HealthProbe(Connections connections, HikariDataSource pool) {
    this.connections = connections;
    this.pool = pool;
  }

  public HealthReport check(Duration timeout) {
    long start = System.nanoTime();
    Map<String, String> attributes = new LinkedHashMap<>();
    poolCounts(attributes);
    CompletableFuture<String> version = CompletableFuture.supplyAsync(() -> connections.read(
        CallContext.of("jdbc.health", timeout), (c, d) -> {
          try (PreparedStatement ps = Statements.prepare(c, "SELECT current_setting('server_version')")) {
            Statements.timeout(ps, d);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        }), executor());
    try {
      String v = version.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      attributes.put("serverVersion", v);
      attributes.put("latencyMillis", String.valueOf(latency.toMillis()));
      return new HealthReport(HealthReport.Status.UP, latency, "PostgreSQL " + v, attributes);
    } catch (TimeoutException e) {
      version.cancel(true);
      return down(start, "no answer within " + timeout.toMillis() + " ms", attributes);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof HoldfastException h ? h.getMessage() : String.valueOf(cause);
      return down(start, why, attributes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down(start, "interrupted", attributes);
    }
  }

  private void poolCounts(Map<String, String> attributes) {
    if (pool != null && !pool.isClosed()) {
      HikariPoolMXBean mx = pool.getHikariPoolMXBean();
      if (mx != null) {
        attributes.put("poolActive", String.valueOf(mx.getActiveConnections()));
        attributes.put("poolIdle", String.valueOf(mx.getIdleConnections()));
        attributes.put("poolWaiting", String.valueOf(mx.getThreadsAwaitingConnection()));
      }
    }
  }

  private static HealthReport down(long start, String why, Map<String, String> attributes) {
    return new HealthReport(HealthReport.Status.DOWN, Duration.ofNanos(System.nanoTime() - start), why, attributes);
  }

  private synchronized ExecutorService executor() {
    if (executor == null) {
      executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "holdfast-jdbc-health");
        t.setDaemon(true);
        return t;
      });
    }
    return executor;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
