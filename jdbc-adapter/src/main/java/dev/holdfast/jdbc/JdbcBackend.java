package dev.holdfast.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.jdbc.internal.Connections;
import dev.holdfast.jdbc.internal.HealthProbe;
import dev.holdfast.jdbc.internal.JdbcOperations;
import dev.holdfast.jdbc.internal.PoolerSettings;
import dev.holdfast.jdbc.internal.Pools;
import dev.holdfast.jdbc.internal.SqlText;
import dev.holdfast.jdbc.internal.Statements;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.ErrorClassifier;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableRef;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * PostgreSQL over JDBC, safe behind PgBouncer and Supabase's pooler in transaction mode.
 *
 * <p>Give it a connection string (a JDBC URL, a {@code postgresql://} URI or libpq key=value) and it builds a
 * HikariCP pool whose connections never use server-side prepared statements ({@code prepareThreshold=0}, no
 * statement cache), or give it your own {@link DataSource}. Values are always bound as parameters; identifiers
 * are validated and double-quoted. Reads run in autocommit; each write runs in its own transaction so that a
 * connection lost before COMMIT is known to have changed nothing (and can be retried) while one lost during
 * COMMIT ends in {@link dev.holdfast.UnknownOutcomeException}. Each statement is bounded by the attempt's
 * {@link CallContext#timeout()} (the server cancels it) and by a socket timeout slightly longer.
 *
 * <pre>{@code
 * try (Holdfast db = Holdfast.builder(JdbcBackend.fromUrl(System.getenv("DATABASE_URL"))).build()) {
 *   Repository<Task, Long> tasks = db.repository(TASKS);
 *   tasks.insert(new Task(null, "Write the README", false, null));
 * }
 * }</pre>
 *
 * <p>Strings cannot hold the NUL character (U+0000) in PostgreSQL text or jsonb; holdfast rejects such values
 * with an {@link dev.holdfast.InvalidRequestException} before sending them. Store binary data in bytea (as base64
 * in the row). Thread-safe. {@link #close()} closes the pool holdfast built, never a DataSource you passed in.
 */
public final class JdbcBackend implements Backend {
  private static final ErrorClassifier CLASSIFIER = new SqlStateClassifier();

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final ConnectionString connectionString;
  private final Connections connections;
  private final JdbcOperations operations;
  private final HealthProbe health;
  private final int maxBatchSize;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcBackend(Builder b) {
    this.connectionString = b.connectionString;
    if (b.dataSource != null) {
      PoolerSettings.checkConfigured(b.dataSource, b.transactionPooler);
      this.dataSource = b.dataSource;
      this.ownedPool = null;
      boolean declared = b.transactionPooler;
      this.connections = new Connections(dataSource, "jdbc", conn -> PoolerSettings.checkConnection(conn, declared));
    } else {
      Pools.Pool pool = Pools.create(b.connectionString, new Pools.Settings(b.maximumPoolSize,
          b.connectionTimeout, b.connectTimeout, b.socketTimeout, b.maxLifetime, b.sslMode, b.sslRootCert,
          b.applicationName));
      this.ownedPool = pool.dataSource();
      this.dataSource = ownedPool;
      this.connections = new Connections(dataSource, "jdbc", null, pool.connector());
    }
    this.operations = new JdbcOperations(connections, "jdbc");
    this.health = new HealthProbe(connections, ownedPool);
    this.maxBatchSize = b.maxBatchSize;
  }

  /**
   * A backend with a pool built from {@code connectionString} with default settings. The connection doctor's
   * offline checks run first ({@link ConnectionDoctor#check(String)}): a finding of severity ERROR fails here,
   * a WARNING is logged once.
   *
   * @throws NullPointerException if {@code connectionString} is null
   * @throws dev.holdfast.InvalidRequestException if it does not parse (the message shows no part of the string)
   * @throws dev.holdfast.ConfigurationException if the doctor finds an error in it; the message and hint are the
   *     doctor's finding
   */
  public static JdbcBackend fromUrl(String connectionString) {
    return builder(connectionString).build();
  }

  /**
   * A backend over the caller's {@code dataSource}, which it does not close.
   *
   * @throws NullPointerException if {@code dataSource} is null
   * @throws dev.holdfast.ConfigurationException if it points at a transaction-mode pooler (port 6543,
   *     {@code pgbouncer=true}) with server-side prepared statements on
   */
  public static JdbcBackend wrap(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** A builder for a backend with a pool built from {@code connectionString}. */
  public static Builder builder(String connectionString) {
    return new Builder(ConnectionString.parse(connectionString), null);
  }

  /** A builder for a backend over the caller's {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The DataSource calls go through: the pool holdfast built, or the caller's. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The connection string the pool was built from, when there was one. */
  public Optional<ConnectionString> connectionString() {
    return Optional.ofNullable(connectionString);
  }

  /**
   * Creates the key-value table {@code schema.table} ({@code key text primary key, value jsonb not null,
   * updated_at timestamptz not null default now()}) if it does not exist. Safe to call concurrently and
   * repeatedly.
   *
   * @throws dev.holdfast.InvalidRequestException if a name is not a valid identifier
   */
  public void createKeyValueTable(String schema, String table, Duration timeout) {
    TableRef ref = new TableRef(schema, table, "key", List.of("key"));
    String sql = "CREATE TABLE IF NOT EXISTS " + SqlText.table(ref) + " (key text PRIMARY KEY, value jsonb NOT NULL, "
        + "updated_at timestamptz NOT NULL DEFAULT now())";
    CallContext ctx = CallContext.of("jdbc.createKeyValueTable", Objects.requireNonNull(timeout, "timeout"));
    connections.write(ctx, (c, d) -> {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; serialize on an advisory lock.
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        Statements.timeout(lock, d.requireRemainingMillis());
        lock.setLong(1, ("holdfast.kv." + schema + "." + table).hashCode());
        lock.execute();
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Statements.timeout(ps, d.requireRemainingMillis());
        ps.execute();
      }
      return null;
    });
  }

  /** Runs the opt-in pooler self-test on this backend's connections; see {@link PoolerSafetyCheck}. */
  public PoolerSafetyCheck.Result checkPoolerSafety(Duration timeout) {
    return PoolerSafetyCheck.run(dataSource, timeout);
  }

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<ObjectNode> select(CallContext context, TableRef table, Query query) {
    return operations.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    return operations.count(context, table, filter);
  }

  @Override
  public RowCursor stream(CallContext context, TableRef table, Query query, int fetchSize) {
    return operations.stream(context, table, query, fetchSize);
  }

  @Override
  public List<ObjectNode> insert(CallContext context, TableRef table, List<ObjectNode> rows) {
    return operations.insert(context, table, rows);
  }

  @Override
  public List<ObjectNode> upsert(CallContext context, TableRef table, List<ObjectNode> rows,
      List<String> conflictColumns) {
    return operations.upsert(context, table, rows, conflictColumns);
  }

  @Override
  public List<ObjectNode> update(CallContext context, TableRef table, Filter filter, ObjectNode changes) {
    return operations.update(context, table, filter, changes);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter) {
    return operations.delete(context, table, filter);
  }

  @Override
  public int maxBatchSize() {
    return maxBatchSize;
  }

  @Override
  public ErrorClassifier errorClassifier() {
    return CLASSIFIER;
  }

  /** Probes with one query on a pooled connection: status, latency, server version and pool counts; never throws. */
  @Override
  public HealthReport check(Duration timeout) {
    return health.check(Objects.requireNonNull(timeout, "timeout"));
  }

  /** Package access for {@link JdbcTransactions}. */
  Connections connections() {
    return connections;
  }

  /** Closes the pool holdfast built (not a DataSource passed in) and the health probe's thread. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        health.close();
      } finally {
        if (ownedPool != null) {
          ownedPool.close();
        }
      }
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "JdbcBackend{" + (connectionString != null ? connectionString.toString()
        : "dataSource=" + dataSource.getClass().getSimpleName()) + "}";
  }

  /**
   * Builds a {@link JdbcBackend}. Not thread-safe.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>Setting</th><th>Default</th></tr>
   *   <tr><td>{@link #maximumPoolSize}</td><td>10</td></tr>
   *   <tr><td>{@link #connectionTimeout} (waiting for a pooled connection)</td><td>5 s</td></tr>
   *   <tr><td>{@link #connectTimeout} (opening a socket)</td><td>10 s</td></tr>
   *   <tr><td>{@link #socketTimeout} (backstop; each call also sets its own)</td><td>60 s</td></tr>
   *   <tr><td>{@link #maxLifetime}</td><td>30 min</td></tr>
   *   <tr><td>{@link #sslMode}, {@link #sslRootCert}</td><td>from the connection string</td></tr>
   *   <tr><td>{@link #applicationName}</td><td>holdfast</td></tr>
   *   <tr><td>{@link #maxBatchSize}</td><td>500</td></tr>
   *   <tr><td>{@link #transactionPooler} (wrapped DataSource only)</td><td>detected from the URL</td></tr>
   * </table>
   */
  public static final class Builder {
    private final ConnectionString connectionString;
    private final DataSource dataSource;
    private int maximumPoolSize = 10;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private String sslMode;
    private String sslRootCert;
    private String applicationName = "holdfast";
    private int maxBatchSize = 500;
    private boolean transactionPooler;

    private Builder(ConnectionString connectionString, DataSource dataSource) {
      this.connectionString = connectionString;
      this.dataSource = dataSource;
    }

    /** The most connections the pool opens. */
    public Builder maximumPoolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maximumPoolSize < 1: " + size);
      }
      this.maximumPoolSize = size;
      return this;
    }

    /** How long a call waits for a free pooled connection before failing as transient. */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = positive(timeout, "connectionTimeout");
      return this;
    }

    /** How long opening a new connection (TCP and TLS) may take. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The socket read timeout of idle waits; calls set a tighter one from their own timeout. */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive(timeout, "socketTimeout");
      return this;
    }

    /** How long a pooled connection lives before it is replaced. */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime = positive(lifetime, "maxLifetime");
      return this;
    }

    /** The sslmode ({@code disable}, {@code require}, {@code verify-ca}, {@code verify-full}). */
    public Builder sslMode(String sslMode) {
      this.sslMode = Objects.requireNonNull(sslMode, "sslMode");
      return this;
    }

    /** The root certificate file for {@code verify-ca} / {@code verify-full}. */
    public Builder sslRootCert(String path) {
      this.sslRootCert = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The application name the server shows in {@code pg_stat_activity}. */
    public Builder applicationName(String name) {
      this.applicationName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The most rows per insert or upsert round trip. */
    public Builder maxBatchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("maxBatchSize < 1: " + rows);
      }
      this.maxBatchSize = rows;
      return this;
    }

    /**
     * Declares that the wrapped DataSource goes through a transaction-mode pooler, so building fails fast if its
     * prepared statements are on, even when the URL does not show it.
     */
    public Builder transactionPooler(boolean behindTransactionPooler) {
      this.transactionPooler = behindTransactionPooler;
      return this;
    }

    /**
     * The backend. For a connection string, the connection doctor's offline checks run first, with this
     * builder's sslMode and sslRootCert applied: a finding of severity ERROR fails the build, each WARNING is
     * logged once.
     *
     * @throws dev.holdfast.ConfigurationException if a wrapped DataSource is unsafe behind its pooler, or the
     *     doctor finds an error in the connection string (the message and hint are its finding)
     */
    public JdbcBackend build() {
      if (connectionString != null) {
        ConstructionCheck.run(effectiveConnectionString());
      }
      return new JdbcBackend(this);
    }

    private ConnectionString effectiveConnectionString() {
      ConnectionString cs = connectionString;
      if (sslMode != null) {
        cs = cs.withParameter("sslmode", sslMode);
      }
      if (sslRootCert != null) {
        cs = cs.withParameter("sslrootcert", sslRootCert);
      }
      return cs;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
