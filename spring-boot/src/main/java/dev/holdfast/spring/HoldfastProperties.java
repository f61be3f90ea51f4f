package dev.holdfast.spring;

import dev.holdfast.ResiliencePolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code holdfast.*} properties. A JDBC backend is configured from {@code holdfast.jdbc.url}, or else over the
 * application's own {@code DataSource}; a PostgREST backend from {@code holdfast.postgrest.url}. Every time value
 * is a {@link Duration} ({@code 500ms}, {@code 10s}, {@code PT1M}). Not thread-safe; Spring binds it at startup.
 */
@ConfigurationProperties(prefix = "holdfast")
public class HoldfastProperties {
  /** Whether holdfast's auto-configuration is on. */
  private boolean enabled = true;

  /** The policy of every call to every backend, unless a backend's own resilience keys say otherwise. */
  @NestedConfigurationProperty
  private final ResilienceProperties resilience = new ResilienceProperties();

  private final Jdbc jdbc = new Jdbc();

  private final Postgrest postgrest = new Postgrest();

  private final Safe safe = new Safe();

  private final Health health = new Health();

  private final Startup startup = new Startup();

  private final Dao dao = new Dao();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public ResilienceProperties getResilience() {
    return resilience;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  public Postgrest getPostgrest() {
    return postgrest;
  }

  public Safe getSafe() {
    return safe;
  }

  public Health getHealth() {
    return health;
  }

  public Startup getStartup() {
    return startup;
  }

  public Dao getDao() {
    return dao;
  }

  /** The JDBC backend (holdfast-jdbc). */
  public static class Jdbc {
    /** Whether a JDBC backend is configured when holdfast-jdbc is on the class path. */
    private boolean enabled = true;

    /**
     * The connection string (jdbc:postgresql://, postgresql:// or libpq key=value). When set, holdfast builds its
     * own pool, with prepared statements off; when not, it uses the application's DataSource.
     */
    private String url;

    /** The most connections holdfast's own pool opens (with holdfast.jdbc.url only). */
    private int maximumPoolSize = 10;

    /** How long a call waits for a free pooled connection (with holdfast.jdbc.url only). */
    private Duration connectionTimeout = Duration.ofSeconds(5);

    /** How long opening a connection may take (with holdfast.jdbc.url only). */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The socket read timeout backstop; each call also sets its own (with holdfast.jdbc.url only). */
    private Duration socketTimeout = Duration.ofSeconds(60);

    /** How long a pooled connection lives before it is replaced (with holdfast.jdbc.url only). */
    private Duration maxLifetime = Duration.ofMinutes(30);

    /** The sslmode, overriding the URL's: disable, require, verify-ca or verify-full. */
    private String sslMode;

    /** The CA file for verify-ca and verify-full. */
    private String sslRootCert;

    /** The application name PostgreSQL shows in pg_stat_activity (with holdfast.jdbc.url only). */
    private String applicationName = "holdfast";

    /** The most rows per insert or upsert statement (each chunk its own transaction). */
    private int maxBatchSize = 1_000;

    /**
     * For the application's DataSource: whether a transaction-mode pooler sits in between (true refuses prepared
     * statements at once, false skips the check); unset: detected from the URL, else probed.
     */
    private Boolean transactionPooler;

    /** Bound on each statement of the DataSource's pooler check, and on waiting for a second connection. */
    private Duration poolerCheckTimeout = Duration.ofSeconds(3);

    /** This backend's policy; a key set here replaces holdfast.resilience's, the others are inherited. */
    @NestedConfigurationProperty
    private final ResilienceProperties resilience = new ResilienceProperties();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public int getMaximumPoolSize() {
      return maximumPoolSize;
    }

    public void setMaximumPoolSize(int maximumPoolSize) {
      this.maximumPoolSize = maximumPoolSize;
    }

    public Duration getConnectionTimeout() {
      return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getSocketTimeout() {
      return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
      this.socketTimeout = socketTimeout;
    }

    public Duration getMaxLifetime() {
      return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }

    public String getSslMode() {
      return sslMode;
    }

    public void setSslMode(String sslMode) {
      this.sslMode = sslMode;
    }

    public String getSslRootCert() {
      return sslRootCert;
    }

    public void setSslRootCert(String sslRootCert) {
      this.sslRootCert = sslRootCert;
    }

    public String getApplicationName() {
      return applicationName;
    }

    public void setApplicationName(String applicationName) {
      this.applicationName = applicationName;
    }

    public int getMaxBatchSize() {
      return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
    }

    public Boolean getTransactionPooler() {
      return transactionPooler;
    }

    public void setTransactionPooler(Boolean transactionPooler) {
      this.transactionPooler = transactionPooler;
    }

    public Duration getPoolerCheckTimeout() {
      return poolerCheckTimeout;
    }

    public void setPoolerCheckTimeout(Duration poolerCheckTimeout) {
      this.poolerCheckTimeout = poolerCheckTimeout;
    }

    public ResilienceProperties getResilience() {
      return resilience;
    }

    @Override
    public String toString() {
      return "Jdbc{url=" + (url == null ? "(the application's DataSource)" : "(set)") + "}";
    }
  }

  /** The PostgREST backend (holdfast-postgrest). */
  public static class Postgrest {
    /** PostgREST's base URL, e.g. https://(project-ref).supabase.co/rest/v1; a PostgREST backend needs it. */
    private String url;

    /** The API key sent as the apikey header (Supabase's anon or service-role key). Never logged. */
    private String apiKey;

    /**
     * The name of the TokenSupplier bean whose JWT is sent as Authorization: Bearer; unset: the only TokenSupplier
     * bean, if there is exactly one.
     */
    private String tokenSupplier;

    /** The schema, sent as Accept-Profile / Content-Profile; unset: PostgREST's first exposed schema. */
    private String schema;

    /** How long opening a connection may take. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** How long a read may wait for data. */
    private Duration readTimeout = Duration.ofSeconds(30);

    /** How long a write may wait. */
    private Duration writeTimeout = Duration.ofSeconds(30);

    /** A whole HTTP call; an attempt's own timeout is tighter. */
    private Duration callTimeout = Duration.ofSeconds(60);

    /** This backend's policy; a key set here replaces holdfast.resilience's, the others are inherited. */
    @NestedConfigurationProperty
    private final ResilienceProperties resilience = new ResilienceProperties();

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getApiKey() {
      return apiKey;
    }

    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    public String getTokenSupplier() {
      return tokenSupplier;
    }

    public void setTokenSupplier(String tokenSupplier) {
      this.tokenSupplier = tokenSupplier;
    }

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
      return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
    }

    public Duration getWriteTimeout() {
      return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
    }

    public Duration getCallTimeout() {
      return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    public ResilienceProperties getResilience() {
      return resilience;
    }

    /** Never shows the API key (Actuator's configprops endpoint masks it separately). */
    @Override
    public String toString() {
      return "Postgrest{url=" + url + ", apiKey=" + (apiKey == null ? "(none)" : "****") + "}";
    }
  }

  /**
   * Safe calls ({@code Holdfast.safe()}, safe key-value stores): their policy, whose defaults are
   * ResiliencePolicy.safeDefaults()'s, and the safe key-value stores to define as beans. Safe calls share their
   * backend's circuit breaker, retry budget and bulkhead, so those are not set here.
   */
  public static class Safe {
    /** Attempts per safe call, the first included. */
    private int maxAttempts = 3;

    /** All attempts and waits of one safe call together. */
    private Duration deadline = Duration.ofSeconds(10);

    /** One attempt of a safe call. */
    private Duration attemptTimeout = Duration.ofSeconds(5);

    /** Whether a longer Retry-After replaces the backoff delay, within the deadline. */
    private boolean honorRetryAfter = true;

    /** The delay before each retry: 100 ms doubling to 400 ms, plus up to 25 % (ADDITIVE jitter). */
    @NestedConfigurationProperty
    private final ResilienceProperties.BackoffProperties backoff = ResilienceProperties.BackoffProperties.safe();

    /**
     * Safe key-value stores, by name: each becomes a SafeKeyValueStore bean named (name)SafeKeyValueStore and
     * qualified with @Qualifier("(name)").
     */
    private final Map<String, KeyValueStore> keyValueStores = new LinkedHashMap<>();

    /** The safe policy these properties describe. */
    public ResiliencePolicy toPolicy() {
      return ResiliencePolicy.safeDefaults().toBuilder().maxAttempts(maxAttempts).deadline(deadline)
          .attemptTimeout(attemptTimeout).honorRetryAfter(honorRetryAfter).backoff(backoff.toBackoff()).build();
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getDeadline() {
      return deadline;
    }

    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }

    public Duration getAttemptTimeout() {
      return attemptTimeout;
    }

    public void setAttemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
    }

    public boolean isHonorRetryAfter() {
      return honorRetryAfter;
    }

    public void setHonorRetryAfter(boolean honorRetryAfter) {
      this.honorRetryAfter = honorRetryAfter;
    }

    public ResilienceProperties.BackoffProperties getBackoff() {
      return backoff;
    }

    public Map<String, KeyValueStore> getKeyValueStores() {
      return keyValueStores;
    }
  }

  /** One safe key-value store. */
  public static class KeyValueStore {
    /** The table (key text primary key, value jsonb, updated_at timestamptz); unset: the store's name. */
    private String table;

    /** The table's schema. */
    private String schema = "public";

    /** Whether to create the table at startup if it does not exist (JDBC only). */
    private boolean createTable = false;

    /** Successful reads kept for serving while the backend is down; 0 for no last-known-good cache. */
    private int lastKnownGoodMaxEntries = 0;

    /** How long a last-known-good copy may be served. */
    private Duration lastKnownGoodMaxAge = Duration.ofMinutes(10);

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    public boolean isCreateTable() {
      return createTable;
    }

    public void setCreateTable(boolean createTable) {
      this.createTable = createTable;
    }

    public int getLastKnownGoodMaxEntries() {
      return lastKnownGoodMaxEntries;
    }

    public void setLastKnownGoodMaxEntries(int lastKnownGoodMaxEntries) {
      this.lastKnownGoodMaxEntries = lastKnownGoodMaxEntries;
    }

    public Duration getLastKnownGoodMaxAge() {
      return lastKnownGoodMaxAge;
    }

    public void setLastKnownGoodMaxAge(Duration lastKnownGoodMaxAge) {
      this.lastKnownGoodMaxAge = lastKnownGoodMaxAge;
    }
  }

  /** The Actuator health contributor (management.health.holdfast.enabled switches it off). */
  public static class Health {
    /** How long each backend's health probe may take. */
    private Duration timeout = Duration.ofSeconds(2);

    /**
     * The Actuator status that holdfast's DEGRADED (a half-open breaker, a slow probe) is reported as. UP keeps the
     * instance in service, with the holdfast status in the details; a custom code (such as DEGRADED) also needs
     * management.endpoint.health.status.order to place it.
     */
    private String degradedStatus = "UP";

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public String getDegradedStatus() {
      return degradedStatus;
    }

    public void setDegradedStatus(String degradedStatus) {
      this.degradedStatus = degradedStatus;
    }
  }

  /** What happens at startup. */
  public static class Startup {
    /**
     * Whether startup fails when a backend cannot be reached, with the connection doctor's finding. Off: the
     * application starts while the database is down, and holdfast's guard retries its calls.
     */
    private boolean failFast = false;

    /** How long the fail-fast connection check may take per backend. */
    private Duration timeout = Duration.ofSeconds(5);

    public boolean isFailFast() {
      return failFast;
    }

    public void setFailFast(boolean failFast) {
      this.failFast = failFast;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** DAO beans wrapped with Resilient.wrap. */
  public static class Dao {
    /**
     * Whether beans that implement an interface carrying holdfast's annotations (@HoldfastDao, @Idempotent,
     * @Attempts, @Timeout, @Fallback, @DefaultOnFailure) are wrapped, on the primary Holdfast's guard.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
