package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.holdfast.Changes;
import dev.holdfast.ConflictException;
import dev.holdfast.Filter;
import dev.holdfast.HealthReport;
import dev.holdfast.Holdfast;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.KeyValueStore;
import dev.holdfast.Order;
import dev.holdfast.Page;
import dev.holdfast.PageRequest;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.Table;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcBackendTest {
  record Item(Long id, String title, BigDecimal price, Instant createdAt, JsonNode meta, UUID ref, String blob,
      List<Integer> tags) {}

  static final Table<Item, Long> ITEMS = Table.builder("items", Item.class, Long.class).build();

  static TestDatabase database;
  static Holdfast db;
  static Repository<Item, Long> items;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    db = Holdfast.builder(JdbcBackend.fromUrl(database.uri())).build();
    items = db.repository(ITEMS);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void freshTable() {
    database.execute("DROP TABLE IF EXISTS items",
        "CREATE TABLE items (id bigserial PRIMARY KEY, title text NOT NULL, price numeric(12,4), "
            + "created_at timestamptz DEFAULT now(), meta jsonb, ref uuid, blob bytea, tags int[])");
  }

  @Test
  void insertsAndReadsBackEveryColumnType() {
    Instant at = Instant.parse("2026-03-01T10:15:30.123456Z");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode meta = json.createObjectNode().put("color", "red");
    meta.putArray("sizes").add(1).add(2);
    Item stored = items.insert(new Item(null, "first", new BigDecimal("12.3400"), at, meta,
        UUID.fromString("0b7e6a3c-3f55-4f44-9d2b-0e7a2d4f5b11"), "AAEC/w==", List.of(3, 1, 2)));

    assertThat(stored.id()).isPositive();
    Item read = items.findById(stored.id()).orElseThrow();
    assertThat(read.price()).isEqualByComparingTo("12.34");
    assertThat(read.createdAt()).isEqualTo(at);
    assertThat(read.meta().get("color").asText()).isEqualTo("red");
    assertThat(read.meta().get("sizes").size()).isEqualTo(2);
    assertThat(read.ref()).isEqualTo(UUID.fromString("0b7e6a3c-3f55-4f44-9d2b-0e7a2d4f5b11"));
    assertThat(read.blob()).isEqualTo("AAEC/w==");
    assertThat(read.tags()).containsExactly(3, 1, 2);
  }

  @Test
  void filtersOrdersCountsAndPages() {
    items.insertAll(IntStream.range(0, 25).mapToObj(i -> item("t" + i, i)).toList());

    assertThat(items.count(Filter.gte("price", 20))).isEqualTo(5);
    assertThat(items.find(Query.where(Filter.in("title", List.of("t1", "t2", "nope"))).orderBy(Order.desc("title"))))
        .extracting(Item::title).containsExactly("t2", "t1");
    assertThat(items.find(Query.where(Filter.like("title", "t1_")).orderBy(Order.asc("id")))).hasSize(10);
    assertThat(items.find(Query.where(Filter.in("title", List.of())))).isEmpty();
    assertThat(items.find(Query.where(Filter.isNull("meta").and(Filter.lt("price", 2).negate()))
        .orderBy(Order.asc("price")).limit(3).offset(1))).extracting(Item::title).containsExactly("t3", "t4", "t5");

    List<String> keyset = new ArrayList<>();
    PageRequest request = PageRequest.first(7);
    while (true) {
      Page<Item> page = items.page(Query.all().orderBy(Order.desc("price")), request);
      page.items().forEach(i -> keyset.add(i.title()));
      if (!page.hasNext()) {
        break;
      }
      request = page.next().orElseThrow();
    }
    assertThat(keyset).hasSize(25).startsWith("t24", "t23").endsWith("t0").doesNotHaveDuplicates();

    Page<Item> offsetPage = items.page(Query.all().orderBy(Order.asc("price")), PageRequest.offset(20, 10));
    assertThat(offsetPage.items()).extracting(Item::title).containsExactly("t20", "t21", "t22", "t23", "t24");
    assertThat(offsetPage.hasNext()).isFalse();
  }

  @Test
  void keysetPagesByTimestampKeepMicroseconds() {
    Instant base = Instant.parse("2026-01-01T00:00:00.000001Z");
    items.insertAll(IntStream.range(0, 10).mapToObj(i -> new Item(null, "t" + i, BigDecimal.ONE,
        base.plusNanos(i * 1000L), null, null, null, null)).toList());
    List<String> seen = new ArrayList<>();
    PageRequest request = PageRequest.first(3);
    for (Page<Item> p = items.page(Query.all().orderBy(Order.asc("created_at")), request); ;
        p = items.page(Query.all().orderBy(Order.asc("created_at")), request)) {
      p.items().forEach(i -> seen.add(i.title()));
      if (!p.hasNext()) {
        break;
      }
      request = p.next().orElseThrow();
    }
    assertThat(seen).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
  }

  @Test
  void streamsManyRowsThroughACursor() {
    items.insertAll(IntStream.range(0, 1_800).mapToObj(i -> item("s" + i, i)).toList());
    try (Stream<Item> stream = items.stream(Query.where(Filter.gte("price", 100)).orderBy(Order.asc("id")))) {
      assertThat(stream.map(Item::title).collect(Collectors.toList())).hasSize(1_700).startsWith("s100")
          .endsWith("s1799");
    }
  }

  @Test
  void upsertsInsertOrUpdateAndUpdatesAndDeletes() {
    Item a = items.insert(item("a", 1));
    Item changed = items.upsert(new Item(a.id(), "a2", BigDecimal.TEN, a.createdAt(), null, null, null, null));
    assertThat(changed.title()).isEqualTo("a2");
    List<Item> both = items.upsertAll(List.of(new Item(a.id(), "a3", BigDecimal.ONE, null, null, null, null, null),
        new Item(1_000L, "new", BigDecimal.ONE, null, null, null, null, null)));
    assertThat(both).extracting(Item::title).containsExactly("a3", "new");
    assertThat(items.updateById(a.id(), Changes.set("title", "renamed"))).map(Item::title).contains("renamed");
    assertThat(items.updateWhere(Filter.eq("price", 1), Changes.set("price", 5))).hasSize(2);
    assertThat(items.deleteById(1_000L)).isTrue();
    assertThat(items.deleteById(1_000L)).isFalse();
    assertThat(items.deleteWhere(Filter.all())).isEqualTo(1);
  }

  @Test
  void duplicateKeyIsAConflictNamingTheConstraint() {
    Item a = items.insert(item("a", 1));
    assertThatThrownBy(() -> items.insert(new Item(a.id(), "again", BigDecimal.ONE, null, null, null, null, null)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).contains("23505");
          assertThat(e.constraint()).contains("items_pkey");
        });
  }

  @Test
  void insertManyIsOneStatementPerChunk() {
    items.insertAll(IntStream.range(0, 1_234).mapToObj(i -> item("m" + i, i)).toList());
    assertThat(items.count(Filter.all())).isEqualTo(1_234);
  }

  @Test
  void insertManySendsOneInsertStatementPerChunk() {
    java.util.List<String> statements = new java.util.concurrent.CopyOnWriteArrayList<>();
    javax.sql.DataSource counting = countingStatements(database.dataSource(), statements);
    try (Holdfast wrapped = Holdfast.builder(JdbcBackend.builder(counting).maxBatchSize(500).build()).build()) {
      wrapped.repository(ITEMS).insertAll(IntStream.range(0, 1_234).mapToObj(i -> item("c" + i, i)).toList());
    }
    assertThat(statements.stream().filter(s -> s.startsWith("/* holdfast */ INSERT"))).hasSize(3);
    assertThat(items.count(Filter.all())).isEqualTo(1_234);
  }

  /** A DataSource whose connections record the SQL of every statement they prepare. */
  static javax.sql.DataSource countingStatements(javax.sql.DataSource real, java.util.List<String> sql) {
    return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getLoader(),
        new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
          Object result = method.invoke(real, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          java.sql.Connection conn = (java.sql.Connection) result;
          return java.lang.reflect.Proxy.newProxyInstance(getLoader(), new Class<?>[] {java.sql.Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("prepareStatement")) {
                  sql.add((String) a[0]);
                }
                try {
                  return m.invoke(conn, a);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        });
  }

  private static ClassLoader getLoader() {
    return JdbcBackendTest.class.getClassLoader();
  }

  @Test
  void missingTableIsASchemaMismatch() {
    Table<Item, Long> missing = Table.builder("no_such_table", Item.class, Long.class).build();
    assertThatThrownBy(() -> db.repository(missing).findById(1L)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("no_such_table");
  }

  @Test
  void hostileValuesAreStoredAndReadBackLiterally() {
    List<String> hostile = List.of("'); DROP TABLE items; --", "\"quoted\" and 'single'", "semi;colon",
        "back\\slash", "percent % and _under", "emoji 🦀 and ünïcödé", "x".repeat(1_000_000),
        "$1 $$dollar$$ ?", "\\x00 not a nul",
        "\\u0000 is six characters, not a NUL");
    for (String value : hostile) {
      Item stored = items.insert(new Item(null, value, BigDecimal.ONE, null, null, null, null, null));
      assertThat(items.findById(stored.id()).orElseThrow().title()).isEqualTo(value);
      assertThat(items.find(Query.where(Filter.eq("title", value)))).hasSize(1);
      assertThat(items.find(Query.where(Filter.startsWith("title", value)))).hasSize(1);
    }
    assertThat(items.count(Filter.all())).isEqualTo(hostile.size());
  }

  @Test
  void nulCharactersAreRejectedWithATypedErrorBeforeSending() {
    assertThatThrownBy(() -> items.insert(item("nul\u0000inside", 1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> items.find(Query.where(Filter.eq("title", "a\u0000b"))))
        .isInstanceOf(InvalidRequestException.class);
    com.fasterxml.jackson.databind.node.ObjectNode meta = new com.fasterxml.jackson.databind.ObjectMapper()
        .createObjectNode();
    meta.putArray("list").add("nested\u0000nul");
    assertThatThrownBy(() -> items.insert(new Item(null, "json", BigDecimal.ONE, null, meta, null, null, null)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("meta");
    assertThat(items.count(Filter.all())).isZero();
  }

  @Test
  void invalidIdentifiersAreRejectedWithATypedError() {
    assertThatThrownBy(() -> Filter.eq("title\"; DROP TABLE items; --", "x"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> items.updateById(1L, Changes.set("a b", 1))).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void keyValueStoreRoundTripsJsonAndSetIsAnUpsert() {
    JdbcBackend backend = (JdbcBackend) db.backend();
    backend.createKeyValueTable("public", "settings", Duration.ofSeconds(5));
    backend.createKeyValueTable("public", "settings", Duration.ofSeconds(5));
    KeyValueStore kv = db.keyValueStore("settings");
    kv.set("greeting", "hello");
    kv.set("limits", Map.of("max", 5, "names", List.of("a", "b")));
    kv.set("greeting", "hello again");
    assertThat(kv.get("greeting")).map(JsonNode::asText).contains("hello again");
    assertThat(kv.get("limits").orElseThrow().get("names").get(1).asText()).isEqualTo("b");
    assertThat(kv.getByPrefix("gr")).containsOnlyKeys("greeting");
    assertThat(kv.getMany(List.of("limits", "none", "greeting"))).containsOnlyKeys("limits", "greeting");
    assertThat(kv.delete("greeting")).isTrue();
    assertThat(kv.get("greeting")).isEmpty();
  }

  @Test
  void healthCheckReportsTheServerVersion() {
    HealthReport report = db.health(Duration.ofSeconds(5));
    assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
    assertThat(report.attributes().get("serverVersion")).startsWith("16");
  }

  @Test
  void healthCheckOfAnUnreachableServerIsDownWithinItsBound() {
    try (JdbcBackend down = JdbcBackend.builder("postgresql://postgres:secret@127.0.0.1:1/postgres")
        .connectionTimeout(Duration.ofMillis(500)).build()) {
      HealthReport report = down.check(Duration.ofSeconds(2));
      assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
      assertThat(report.detail()).doesNotContain("secret");
    }
  }

  @Test
  void closeIsIdempotentAndClosesTheOwnedPool() {
    JdbcBackend backend = JdbcBackend.fromUrl(database.uri());
    backend.close();
    backend.close();
    assertThat(((com.zaxxer.hikari.HikariDataSource) backend.dataSource()).isClosed()).isTrue();
  }

  @Test
  void wrappingADataSourceDoesNotCloseIt() throws Exception {
    var ds = database.dataSource();
    try (JdbcBackend backend = JdbcBackend.wrap(ds)) {
      assertThat(backend.check(Duration.ofSeconds(5)).status()).isEqualTo(HealthReport.Status.UP);
    }
    try (var c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
  }

  @Test
  void aWrappedDataSourceWithDefaultDriverSettingsStillBindsTypedValuesFromText() {
    Instant at = Instant.parse("2026-05-01T08:00:00.5Z");
    try (Holdfast wrapped = Holdfast.builder(JdbcBackend.wrap(database.dataSource())).build()) {
      Repository<Item, Long> repo = wrapped.repository(ITEMS);
      Item stored = repo.insert(new Item(null, "typed", new BigDecimal("1.5"), at, null,
          UUID.fromString("00000000-0000-0000-0000-000000000001"), null, null));
      assertThat(repo.find(Query.where(Filter.eq("created_at", at).and(Filter.eq("ref",
          UUID.fromString("00000000-0000-0000-0000-000000000001"))).and(Filter.gt("price", 1)))))
          .extracting(Item::id).containsExactly(stored.id());
    }
  }

  @Test
  void selfTestPassesOnADirectConnectionEvenWithPreparedStatementsOn() {
    PoolerSafetyCheck.Result result = PoolerSafetyCheck.run(database.dataSource(),
        Duration.ofSeconds(5));
    assertThat(result.safe()).isTrue();
    assertThat(result.failures()).isZero();
    assertThat(result.runs()).isEqualTo(2 * PoolerSafetyCheck.RUNS_PER_CONNECTION);
  }

  @Test
  void closeStopsThePoolsAndProbesThreads() throws Exception {
    JdbcBackend backend = JdbcBackend.fromUrl(database.uri());
    assertThat(backend.check(Duration.ofSeconds(5)).status()).isEqualTo(HealthReport.Status.UP);
    String pool = ((com.zaxxer.hikari.HikariDataSource) backend.dataSource()).getPoolName();
    assertThat(poolThreads(pool)).isNotEmpty();
    backend.close();
    for (int i = 0; i < 100 && !(poolThreads(pool).isEmpty() && threadsNamed("holdfast-jdbc-health").isEmpty());
        i++) {
      Thread.sleep(20);
    }
    assertThat(poolThreads(pool)).isEmpty();
    assertThat(threadsNamed("holdfast-jdbc-health")).isEmpty();
  }

  @Test
  void libpqKeyValueStringsBuildAWorkingPool() {
    try (JdbcBackend backend = JdbcBackend.fromUrl("host=127.0.0.1 port=" + database.port()
        + " dbname=" + database.name() + " user=postgres application_name='holdfast kv test'")) {
      assertThat(backend.check(Duration.ofSeconds(5)).status()).isEqualTo(HealthReport.Status.UP);
    }
  }

  private static List<String> poolThreads(String pool) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(pool + " ") || n.startsWith(pool + ":")).toList();
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith(prefix)).toList();
  }

  @Test
  void wrappingADataSourceOnTheTransactionPoolerPortWithPreparedStatementsOnFailsBeforeConnecting() {
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setServerNames(new String[] {"aws-0-eu-west-1.pooler.supabase.com"});
    ds.setPortNumbers(new int[] {6543});
    ds.setUser("postgres.abcdefghijklmnopqrst");
    ds.setPassword("hunter2");
    assertThatThrownBy(() -> JdbcBackend.wrap(ds)).isInstanceOf(dev.holdfast.ConfigurationException.class)
        .hasMessageContaining("6543").hasMessageNotContaining("hunter2");
    ds.setPrepareThreshold(0);
    JdbcBackend.wrap(ds).close();
  }

  @Test
  void wrappingAnUnstartedHikariPoolIsCheckedFromItsSettings() {
    try (com.zaxxer.hikari.HikariDataSource hikari = new com.zaxxer.hikari.HikariDataSource()) {
      hikari.setJdbcUrl("jdbc:postgresql://db.internal:6432/app?pgbouncer=true");
      assertThatThrownBy(() -> JdbcBackend.wrap(hikari)).isInstanceOf(dev.holdfast.ConfigurationException.class)
          .hasMessageContaining("prepareThreshold=5");
      hikari.addDataSourceProperty("prepareThreshold", "0");
      JdbcBackend.wrap(hikari).close();
      assertThat(hikari.isClosed()).isFalse();
    }
  }

  @Test
  void toStringMasksThePassword() {
    try (JdbcBackend backend = JdbcBackend.fromUrl("postgresql://app:hunter2@127.0.0.1:1/app")) {
      assertThat(backend.toString()).contains("app:****@").doesNotContain("hunter2");
      assertThat(backend.connectionString().orElseThrow().password()).contains("hunter2");
    }
  }

  private static Item item(String title, int price) {
    return new Item(null, title, BigDecimal.valueOf(price), null, null, null, null, null);
  }
}
