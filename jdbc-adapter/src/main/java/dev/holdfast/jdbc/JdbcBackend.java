package dev.holdfast.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.CallContext;
import dev.holdfast.Capabilities;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Query;
import dev.holdfast.TransactionOptions;
import dev.holdfast.WriteMode;
import dev.holdfast.jdbc.internal.Connections;
import dev.holdfast.jdbc.internal.HealthProbe;
import dev.holdfast.jdbc.internal.JdbcOperations;
import dev.holdfast.jdbc.internal.PoolerSettings;
import dev.holdfast.jdbc.internal.Pools;
import dev.holdfast.jdbc.internal.RawTransaction;
import dev.holdfast.jdbc.internal.ReadRouting;
import dev.holdfast.jdbc.internal.SqlFailures;
import dev.holdfast.jdbc.internal.WalPositions;
import dev.holdfast.jdbc.internal.Source;
import dev.holdfast.jdbc.internal.SqlText;
import dev.holdfast.jdbc.internal.Statements;
import dev.holdfast.spi.Backend;
import dev.holdfast.spi.ErrorClassifier;
import dev.holdfast.spi.RowCursor;
import dev.holdfast.spi.TableMapping;
import dev.holdfast.spi.TableRef;
import dev.holdfast.spi.TransactionWork;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * are validated and double-quoted; rows go straight between result sets, records and parameters. Reads and
 * writes in {@link WriteMode#ONE_ROUND_TRIP} run in autocommit; a write in {@link WriteMode#CONFIRMED} runs in its
 * own transaction so that a connection lost before COMMIT is known to have changed nothing (and can be retried)
 * while one lost during COMMIT ends in {@link dev.holdfast.UnknownOutcomeException}; see {@link WriteMode} for
 * which writes use which. {@link dev.holdfast.Holdfast#inTransaction} runs several calls in one transaction
 * ({@code tx.unwrap(JdbcTransaction.class)} for raw SQL in it). Each statement is bounded by the attempt's
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
  /** pgjdbc's roles that choose replicas. */
  private static final java.util.Set<String> REPLICA_TARGETS = java.util.Set.of("preferSecondary", "secondary",
      "preferSlave", "slave");

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final ConnectionString connectionString;
  private final Connections connections;
  private final JdbcOperations operations;
  private final HealthProbe health;
  private final int maxBatchSize;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<HikariDataSource> replicaPools = new java.util.ArrayList<>();

  private JdbcBackend(Builder b) {
    this.connectionString = b.connectionString;
    Pools.Settings settings = new Pools.Settings(b.maximumPoolSize, b.connectionTimeout, b.connectTimeout,
        b.socketTimeout, b.maxLifetime, b.sslMode, b.sslRootCert, b.applicationName, null);
    List<ConnectionString> replicaStrings = new java.util.ArrayList<>(b.replicas);
    if (b.dataSource != null) {
      PoolerSettings.checkConfigured(b.dataSource, b.transactionPooler);
      this.dataSource = b.dataSource;
      this.ownedPool = null;
      Boolean declared = b.transactionPooler;
      this.connections = new Connections(dataSource, "jdbc",
          (conn, second, bound) -> PoolerSettings.checkConnection(conn, declared, second, bound));
      // At build time when the database answers, so that an unsafe pool fails the application's start-up rather
      // than its first request; otherwise on the first connection a call leases.
      connections.checkNow(b.poolerCheckTimeout);
    } else {
      String target = Pools.targetServerType(b.connectionString);
      boolean readsToReplicas = target != null && REPLICA_TARGETS.contains(target);
      // Writes always go to the primary; a string that asks for replicas gets them in a second pool, for reads.
      Pools.Pool pool = Pools.create(b.connectionString,
          readsToReplicas ? settings.withTargetServerType("primary") : settings);
      if (readsToReplicas) {
        replicaStrings.add(0, b.connectionString);
      }
      this.ownedPool = pool.dataSource();
      this.dataSource = ownedPool;
      this.connections = new Connections(dataSource, "jdbc", null, pool.connector());
    }
    WalPositions positions = new WalPositions(replicaStrings.isEmpty() ? ReadYourWrites.OFF : b.readYourWrites);
    connections.trackWrites(positions);
    List<ReadRouting.Replica> replicas = new java.util.ArrayList<>();
    try {
      for (ConnectionString replica : replicaStrings) {
        String own = Pools.targetServerType(replica);
        Pools.Pool pool = Pools.create(replica, settings.withTargetServerType(
            own != null && !own.equals("primary") ? own : replica.hosts().size() > 1 ? "preferSecondary" : null));
        replicaPools.add(pool.dataSource());
        replicas.add(new ReadRouting.Replica(replica.hostList(), new Connections(pool.dataSource(), "jdbc", null,
            pool.connector())));
      }
    } catch (RuntimeException e) {
      replicaPools.forEach(HikariDataSource::close);
      if (ownedPool != null) {
        ownedPool.close();
      }
      throw e;
    }
    this.operations = new JdbcOperations(connections, new ReadRouting(replicas, b.maxReplicaLag, positions), "jdbc");
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
   * <p>Before it is used, holdfast finds out what sits between the DataSource and PostgreSQL — from the URL (port
   * 6543, {@code pgbouncer=true}), from {@link Builder#transactionPooler}, or else from the server's behaviour,
   * with a few one-shot statements on one or two of its connections — and refuses a pool whose connections
   * would use pgjdbc's server-side prepared statements (its default {@code prepareThreshold=5}) through a
   * transaction-mode pooler: such a pool loses acknowledged writes, and holdfast names the setting to change.
   * When the database does not answer yet, the check runs on the first connection a call leases. holdfast's
   * own statements, COMMITs and ROLLBACKs are never named server-side statements on any connection.
   *
   * @throws NullPointerException if {@code dataSource} is null
   * @throws dev.holdfast.ConfigurationException if it reaches PostgreSQL through a transaction-mode pooler with
   *     server-side prepared statements on
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
      try (PreparedStatement lock = Statements.prepare(c, "SELECT pg_advisory_xact_lock(?)")) {
        Statements.timeout(lock, d);
        lock.setLong(1, ("holdfast.kv." + schema + "." + table).hashCode());
        lock.execute();
      }
      try (PreparedStatement ps = Statements.prepare(c, sql)) {
        Statements.timeout(ps, d);
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
  public Capabilities capabilities() {
    return new Capabilities(true, true);
  }

  @Override
  public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
    return operations.select(context, table, query);
  }

  @Override
  public long count(CallContext context, TableRef table, Filter filter) {
    return operations.count(context, table, filter);
  }

  @Override
  public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
    return operations.stream(context, table, query, fetchSize);
  }

  @Override
  public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
      WriteMode mode) {
    return operations.insert(context, table, rows, columns, mode);
  }

  @Override
  public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows, List<String> conflictColumns,
      WriteMode mode) {
    return operations.upsert(context, table, rows, conflictColumns, mode);
  }

  @Override
  public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter, Map<String, Object> changes,
      WriteMode mode) {
    return operations.update(context, table, filter, changes, mode);
  }

  @Override
  public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
    return operations.delete(context, table, filter, mode);
  }

  /**
   * Runs {@code work} in one transaction on one connection: {@code SET TRANSACTION} for the options, the work's
   * calls on that connection, then a one-shot COMMIT that counts only when the server confirms it. A failure
   * before COMMIT rolls back (nothing applied, so the guard may run the unit again); a connection lost during
   * COMMIT leaves the outcome open.
   */
  @Override
  public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(work, "work");
    if (options.readOnly()) {
      try {
        return inTransactionOnPrimary(context, options, work);
      } catch (dev.holdfast.TransientException e) {
        // The unit asked for a read-only transaction and then wrote: its own doing, not a demoted primary's.
        if (e.code().filter(SqlFailures.READ_ONLY_TRANSACTION::equals).isPresent()) {
          throw new dev.holdfast.InvalidRequestException(e.getMessage(), dev.holdfast.ErrorDetails.of("jdbc")
              .withCode(SqlFailures.READ_ONLY_TRANSACTION).withHint("The unit writes in a transaction it opened "
                  + "with TransactionOptions.withReadOnly(true)."), e);
        }
        throw e;
      }
    }
    return inTransactionOnPrimary(context, options, work);
  }

  private <R> R inTransactionOnPrimary(CallContext context, TransactionOptions options, TransactionWork<R> work) {
    return connections.write(context, (conn, deadline) -> {
      String set = setTransaction(options);
      if (set != null) {
        try (PreparedStatement ps = Statements.prepare(conn, set)) {
          Statements.timeout(ps, deadline);
          ps.execute();
        }
      }
      Bound bound = new Bound(operations.on(Source.within(conn, deadline, connections)),
          new RawTransaction(conn, deadline));
      try {
        return work.run(bound);
      } catch (SQLException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  private static String setTransaction(TransactionOptions options) {
    if (options.isolation() == TransactionOptions.Isolation.DEFAULT && !options.readOnly()) {
      return null;
    }
    StringBuilder sql = new StringBuilder("SET TRANSACTION");
    if (options.isolation() != TransactionOptions.Isolation.DEFAULT) {
      sql.append(" ISOLATION LEVEL ").append(options.isolation().name().replace('_', ' '));
    }
    return sql.append(options.readOnly() ? " READ ONLY" : " READ WRITE").toString();
  }

  /** This backend inside one transaction: every call on its connection; raw SQL through its JdbcTransaction. */
  private final class Bound implements Backend {
    private final JdbcOperations ops;
    private final JdbcTransaction raw;

    Bound(JdbcOperations ops, JdbcTransaction raw) {
      this.ops = ops;
      this.raw = raw;
    }

    @Override
    public String name() {
      return JdbcBackend.this.name();
    }

    @Override
    public Capabilities capabilities() {
      return JdbcBackend.this.capabilities();
    }

    @Override
    public <T> List<T> select(CallContext context, TableMapping<T> table, Query query) {
      return ops.select(context, table, query);
    }

    @Override
    public long count(CallContext context, TableRef table, Filter filter) {
      return ops.count(context, table, filter);
    }

    @Override
    public <T> RowCursor<T> stream(CallContext context, TableMapping<T> table, Query query, int fetchSize) {
      return ops.stream(context, table, query, fetchSize);
    }

    @Override
    public <T> List<T> insert(CallContext context, TableMapping<T> table, List<T> rows, List<String> columns,
        WriteMode mode) {
      return ops.insert(context, table, rows, columns, mode);
    }

    @Override
    public <T> List<T> upsert(CallContext context, TableMapping<T> table, List<T> rows,
        List<String> conflictColumns, WriteMode mode) {
      return ops.upsert(context, table, rows, conflictColumns, mode);
    }

    @Override
    public <T> List<T> update(CallContext context, TableMapping<T> table, Filter filter,
        Map<String, Object> changes, WriteMode mode) {
      return ops.update(context, table, filter, changes, mode);
    }

    @Override
    public long delete(CallContext context, TableRef table, Filter filter, WriteMode mode) {
      return ops.delete(context, table, filter, mode);
    }

    @Override
    public <R> R inTransaction(CallContext context, TransactionOptions options, TransactionWork<R> work) {
      throw new IllegalStateException("already in a transaction");
    }

    @Override
    public <X> Optional<X> unwrap(Class<X> type) {
      return type.isInstance(raw) ? Optional.of(type.cast(raw)) : Optional.empty();
    }

    @Override
    public int maxBatchSize() {
      return JdbcBackend.this.maxBatchSize();
    }

    @Override
    public ErrorClassifier errorClassifier() {
      return CLASSIFIER;
    }

    @Override
    public HealthReport check(Duration timeout) {
      return JdbcBackend.this.check(timeout);
    }

    @Override
    public void close() {
      // The transaction ends with its unit; the backend stays open.
    }
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
        connections.close();
      } finally {
        if (ownedPool != null) {
          ownedPool.close();
        }
        replicaPools.forEach(HikariDataSource::close);
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
   *   <tr><td>{@link #maxBatchSize}</td><td>1000</td></tr>
   *   <tr><td>{@link #transactionPooler} (wrapped DataSource only)</td><td>detected from the URL, then probed</td></tr>
   *   <tr><td>{@link #poolerCheckTimeout} (wrapped DataSource only)</td><td>3 s</td></tr>
   *   <tr><td>{@link #readReplicas}</td><td>none, or the string itself with targetServerType=preferSecondary</td></tr>
   *   <tr><td>{@link #maxReplicaLag}</td><td>10 s</td></tr>
   *   <tr><td>{@link #readYourWrites}</td><td>OFF</td></tr>
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
    private int maxBatchSize = 1_000;
    private Boolean transactionPooler;
    private Duration poolerCheckTimeout = Duration.ofSeconds(3);
    private final List<ConnectionString> replicas = new java.util.ArrayList<>();
    private Duration maxReplicaLag = Duration.ofSeconds(10);
    private ReadYourWrites readYourWrites = ReadYourWrites.OFF;

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

    /**
     * The most rows per insert or upsert statement; each such chunk is its own transaction and the unit a retry
     * resends. Rows travel as one array per column, so the size is not bound by the protocol's parameter limit;
     * 1,000 keeps a chunk's transaction short while making 10,000 rows ten transactions (measured in
     * docs/benchmarks.md, section 4).
     */
    public Builder maxBatchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("maxBatchSize < 1: " + rows);
      }
      this.maxBatchSize = rows;
      return this;
    }

    /**
     * Sends reads to these replicas: each string is one pool, for one replica ({@code host:port}), a load
     * balancer's read port (HAProxy in front of Patroni) or a multi-host string (its connections then prefer
     * replicas, {@code targetServerType=preferSecondary}). Repository and key-value reads ({@code find},
     * {@code findById}, {@code count}, {@code page}, {@code stream}, {@code get}, safe gets) go to the replicas
     * in turn, each after a check of its replay lag ({@link #maxReplicaLag}) and, with {@link #readYourWrites},
     * of its replay position; a replica that lags or fails is skipped and the read falls back to the next one,
     * then to the primary, within the call's timeout. Writes, transactions, health checks and a write's own
     * read-backs always go to the primary. A connection string with {@code targetServerType=preferSecondary}
     * (or {@code secondary}; libpq {@code target_session_attrs=prefer-standby}) adds itself as a replica pool and
     * connects writes with {@code targetServerType=primary}. Each replica pool has {@link #maximumPoolSize}
     * connections.
     *
     * @throws NullPointerException if a string is null
     * @throws dev.holdfast.InvalidRequestException if one does not parse
     */
    public Builder readReplicas(String... connectionStrings) {
      for (String s : connectionStrings) {
        replicas.add(ConnectionString.parse(Objects.requireNonNull(s, "connection string")));
      }
      return this;
    }

    /**
     * How far a replica may lag behind in replay before reads skip it; default 10 s. Measured on each connection
     * a read leases, as the age of the last transaction replayed while WAL waits to be replayed (0 when the
     * replica has replayed all it received).
     */
    public Builder maxReplicaLag(Duration lag) {
      Objects.requireNonNull(lag, "lag");
      if (lag.isNegative()) {
        throw new IllegalArgumentException("maxReplicaLag must not be negative: " + lag);
      }
      this.maxReplicaLag = lag;
      return this;
    }

    /**
     * Whether reads must see earlier writes, and whose ({@link ReadYourWrites}); default {@code OFF}. Costs one
     * statement after each write's COMMIT, on the same connection.
     */
    public Builder readYourWrites(ReadYourWrites scope) {
      this.readYourWrites = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * Says whether the wrapped DataSource goes through a transaction-mode pooler, instead of letting holdfast find
     * out: {@code true} makes building fail at once if its prepared statements are on; {@code false} (a direct
     * connection or a session-mode pooler, where prepared statements are fine) skips the check.
     */
    public Builder transactionPooler(boolean behindTransactionPooler) {
      this.transactionPooler = behindTransactionPooler;
      return this;
    }

    /**
     * How long each statement of the wrapped DataSource's path check may take (and how long it waits for a second
     * connection); default 3 s.
     */
    public Builder poolerCheckTimeout(Duration timeout) {
      this.poolerCheckTimeout = positive(timeout, "poolerCheckTimeout");
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
      replicas.forEach(ConstructionCheck::run);
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
