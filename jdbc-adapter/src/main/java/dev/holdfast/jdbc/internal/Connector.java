package dev.holdfast.jdbc.internal;

import dev.holdfast.TransientException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens the connections of a pool holdfast owns, and remembers how the latest attempt ended. HikariCP creates
 * connections on its own threads and, when they fail, only says so once a caller's whole wait is over; this
 * DataSource lets {@link PoolBorrow} see a failure the moment it happens, and give it a headline that says what
 * happened and where ({@link ConnectFailure}). Internal; thread-safe.
 */
public final class Connector implements DataSource {
  /** Opens one connection with these extra properties (a login timeout). */
  @FunctionalInterface
  public interface Opener {
    Connection open(Properties extra) throws SQLException;
  }

  /** How an attempt ended. */
  public record Outcome(long sequence, long atNanos, ConnectFailure failure, boolean fatal) {
    static final Outcome NONE = new Outcome(0, 0, null, false);

    public boolean failed() {
      return failure != null;
    }
  }

  private final String address;
  private final Opener opener;
  private final LongSupplier nanoClock;
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicReference<Outcome> latest = new AtomicReference<>(Outcome.NONE);
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile int loginTimeoutSeconds;

  /**
   * @param address {@code host:port}, for headlines
   * @param opener what opens a connection
   * @param nanoClock the monotonic clock outcomes are stamped with
   */
  public Connector(String address, Opener opener, LongSupplier nanoClock) {
    this.address = Objects.requireNonNull(address, "address");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** A connector that opens pgjdbc connections to {@code url} with {@code properties} (user and password too). */
  public static Connector pgjdbc(String url, Properties properties, String address) {
    org.postgresql.Driver driver = new org.postgresql.Driver();
    Properties base = (Properties) properties.clone();
    return new Connector(address, extra -> {
      Properties p = (Properties) base.clone();
      p.putAll(extra);
      Connection c = driver.connect(url, p);
      if (c == null) {
        throw new SQLException("pgjdbc does not accept the URL " + url, "08001");
      }
      return c;
    }, System::nanoTime);
  }

  /** Where it connects, {@code host:port}. */
  public String address() {
    return address;
  }

  /** How the latest attempt ended. */
  public Outcome latest() {
    return latest.get();
  }

  /** Nanoseconds on this connector's clock. */
  long now() {
    return nanoClock.getAsLong();
  }

  /** HikariCP's way in: one attempt, bounded by the login timeout HikariCP derives from its connectionTimeout. */
  @Override
  public Connection getConnection() throws SQLException {
    Properties extra = new Properties();
    if (loginTimeoutSeconds > 0) {
      extra.setProperty("loginTimeout", String.valueOf(loginTimeoutSeconds));
    }
    return attempt(extra);
  }

  /** What a probe found: how the attempt ended and, when it connected, the connection (the caller closes it). */
  public record Probe(Outcome outcome, Connection connection) {}

  /**
   * One attempt made now rather than at HikariCP's next retry, bounded by {@code timeoutMillis}, when no other
   * probe is under way. Empty when another thread is probing.
   */
  public java.util.Optional<Probe> probe(long timeoutMillis) {
    if (!probing.compareAndSet(false, true)) {
      return java.util.Optional.empty();
    }
    try {
      Properties extra = new Properties();
      extra.setProperty("loginTimeout", String.format(Locale.ROOT, "%.3f", Math.max(1, timeoutMillis) / 1000.0));
      Connection c = null;
      try {
        c = attempt(extra);
      } catch (SQLException expected) {
        // Recorded by attempt().
      }
      return java.util.Optional.of(new Probe(latest.get(), c));
    } finally {
      probing.set(false);
    }
  }

  private Connection attempt(Properties extra) throws SQLException {
    long n = attempts.incrementAndGet();
    try {
      Connection c = opener.open(extra);
      record(new Outcome(n, now(), null, false));
      return c;
    } catch (SQLException | RuntimeException e) {
      ConnectFailure failure = ConnectFailure.of(e, address);
      boolean fatal = !(SqlFailures.classify(failure, "jdbc", SqlFailures.Phase.CONNECT, false, address).orElse(null)
          instanceof TransientException);
      record(new Outcome(n, now(), failure, fatal));
      throw failure;
    }
  }

  private void record(Outcome outcome) {
    latest.accumulateAndGet(outcome, (old, next) -> next.sequence() > old.sequence() ? next : old);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("holdfast's connector holds its own credentials");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // pgjdbc logs through java.util.logging; nothing to set.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "Connector{" + address + "}";
  }
}
