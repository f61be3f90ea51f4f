package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Changes;
import dev.holdfast.ConfigurationException;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.Idempotent;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Resilient;
import dev.holdfast.Table;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.PgBouncer;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's own HikariCP pool, with pgjdbc's defaults ({@code prepareThreshold=5}), on a real PgBouncer in
 * transaction mode listening on a port that is not 6543, handed to {@link JdbcBackend#wrap}: the shape of the
 * trial in which holdfast once acknowledged writes that never reached the database. Each test runs against
 * PgBouncer's default (LIFO) reuse of server connections and against {@code server_round_robin}.
 */
class WrappedPoolBehindTransactionPoolerTest {
  record Item(Long id, String name, int v) {}

  static final Table<Item, Long> ITEMS = Table.builder("items", Item.class, Long.class).build();
  static final int THREADS = 8;
  static final int OPS_PER_THREAD = 250;
  static final ResiliencePolicy POLICY = ResiliencePolicy.builder().maxAttempts(5).withoutCircuitBreaker().build();

  static TestDatabase database;
  static PgBouncer lifo;
  static PgBouncer roundRobin;

  @BeforeAll
  static void start() {
    database = TestPostgres.createDatabase();
    lifo = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.TRANSACTION).poolSize(2).start();
    roundRobin = PgBouncer.builder(database).poolMode(PgBouncer.PoolMode.TRANSACTION).poolSize(2)
        .serverRoundRobin(true).start();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {lifo, roundRobin, database}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // Best effort; the next resource still closes.
      }
    }
  }

  @BeforeEach
  void freshTables() {
    database.execute("DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS counters",
        "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, v int NOT NULL)",
        "CREATE TABLE counters (id bigint PRIMARY KEY, n bigint NOT NULL)");
  }

  static PgBouncer bouncer(boolean rr) {
    return rr ? roundRobin : lifo;
  }

  /** What a user builds from Spring Boot's spring.datasource.* defaults: HikariCP over pgjdbc, nothing else set. */
  static HikariDataSource usersPool(PgBouncer bouncer, Map<String, String> properties) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(bouncer.jdbcUrl());
    config.setMaximumPoolSize(THREADS);
    properties.forEach(config::addDataSourceProperty);
    return new HikariDataSource(config);
  }

  @ParameterizedTest(name = "round robin: {0}")
  @ValueSource(booleans = {false, true})
  void aPoolWithPgjdbcDefaultsIsRefusedWithTheSettingToChange(boolean rr) {
    assertThat(bouncer(rr).port()).isNotEqualTo(6543);
    try (HikariDataSource pool = usersPool(bouncer(rr), Map.of())) {
      assertThatThrownBy(() -> JdbcBackend.wrap(pool))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("transaction-mode pooler")
          .hasMessageContaining("prepareThreshold=5")
          .satisfies(e -> assertThat(((ConfigurationException) e).hint())
              .contains("addDataSourceProperty(\"prepareThreshold\", \"0\")")
              .contains("spring.datasource.hikari.data-source-properties.prepareThreshold=0"));
    }
  }

  @ParameterizedTest(name = "round robin: {0}")
  @ValueSource(booleans = {false, true})
  void theSamePoolWithTheNamedSettingLosesNothingUnderMixedLoad(boolean rr) throws Exception {
    try (HikariDataSource pool = usersPool(bouncer(rr), Map.of("prepareThreshold", "0"));
        Holdfast db = Holdfast.builder(JdbcBackend.wrap(pool)).policy(POLICY).build()) {
      LedgerDao dao = Resilient.wrap(LedgerDao.class, new JdbcLedgerDao(pool), db.guard());
      Ledger ledger = runLoad(db.repository(ITEMS), JdbcTransactions.of(db), dao, true);
      ledger.verify(database.dataSource());
    }
  }

  /**
   * A pool that holdfast cannot judge is still safe for holdfast: told (wrongly) that no transaction pooler is in
   * between, holdfast skips the check and uses a pool with pgjdbc's defaults, while the user's own DAO on the same
   * pool fills the server connections with named statements. holdfast's statements, COMMITs and ROLLBACKs are
   * one-shot, so none of them lands on another client's statement, and every write it acknowledged is there.
   */
  @ParameterizedTest(name = "round robin: {0}")
  @ValueSource(booleans = {false, true})
  void holdfastLosesNothingEvenOnAPoolItWasToldNotToCheck(boolean rr) throws Exception {
    try (HikariDataSource pool = usersPool(bouncer(rr), Map.of());
        Holdfast db = Holdfast.builder(JdbcBackend.builder(pool).transactionPooler(false).build()).policy(POLICY)
            .build()) {
      LedgerDao dao = Resilient.wrap(LedgerDao.class, new JdbcLedgerDao(pool), db.guard());
      Ledger ledger = runLoad(db.repository(ITEMS), JdbcTransactions.of(db), dao, false);
      ledger.verify(database.dataSource());
      // The user's own statements did collide: the environment was as hostile as the trial's.
      assertThat(ledger.foreignFailures).as("the DAO's prepared-statement collisions")
          .anySatisfy(e -> assertThat(e).isInstanceOf(ConfigurationException.class));
    }
  }

  /** A plain JDBC DAO of the kind users already have: its own transactions, pgjdbc underneath. */
  interface LedgerDao {
    long insert(String name, int v);

    @Idempotent
    boolean setValue(long id, int v);

    @Idempotent
    boolean delete(long id);

    void increment(long counter);

    Optional<Item> findById(long id);
  }

  static final class JdbcLedgerDao implements LedgerDao {
    private final DataSource ds;

    JdbcLedgerDao(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public long insert(String name, int v) {
      return inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (name, v) VALUES (?, ?) RETURNING id")) {
          ps.setString(1, name);
          ps.setInt(2, v);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
    }

    @Override
    public boolean setValue(long id, int v) {
      return inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE items SET v = ? WHERE id = ?")) {
          ps.setInt(1, v);
          ps.setLong(2, id);
          return ps.executeUpdate() == 1;
        }
      });
    }

    @Override
    public boolean delete(long id) {
      return inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM items WHERE id = ?")) {
          ps.setLong(1, id);
          return ps.executeUpdate() == 1;
        }
      });
    }

    @Override
    public void increment(long counter) {
      inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO counters (id, n) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET n = counters.n + 1")) {
          ps.setLong(1, counter);
          return ps.executeUpdate();
        }
      });
    }

    @Override
    public Optional<Item> findById(long id) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT id, name, v FROM items WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Item(rs.getLong(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
        }
      } catch (SQLException e) {
        throw sneaky(e);
      }
    }

    interface Work<T> {
      T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw sneaky(e);
      }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
      throw (E) e;
    }
  }

  /** What the load was told, to be checked against the table's real contents. */
  static final class Ledger {
    /** Whether the DAO's acknowledgements are checked too, or only holdfast's. */
    final boolean withDao;
    /** Rows the DAO may have written when its acknowledgements are not checked. */
    final Map<String, Boolean> foreign = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Throwable> foreignFailures = new ConcurrentLinkedQueue<>();

    Ledger(boolean withDao) {
      this.withDao = withDao;
    }

    /** name → value of every row whose insert (and later updates) were acknowledged and not deleted. */
    final Map<String, Integer> present = new ConcurrentHashMap<>();
    final Map<String, Boolean> deleted = new ConcurrentHashMap<>();
    /** names whose insert ended in an unknown outcome: may or may not exist. */
    final Map<String, Boolean> maybe = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> increments = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> maybeIncrements = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> wrongReads = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> untyped = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> typed = new ConcurrentLinkedQueue<>();
    final AtomicInteger acknowledged = new AtomicInteger();

    void failed(Throwable e) {
      // A bare HoldfastException says "something failed" without saying what the caller may do: untyped too.
      if (e instanceof HoldfastException && e.getClass() != HoldfastException.class) {
        typed.add(e);
      } else {
        untyped.add(e);
      }
    }

    void verify(DataSource direct) throws SQLException {
      Map<String, Integer> rows = new HashMap<>();
      Map<Long, Long> counters = new HashMap<>();
      try (Connection c = direct.getConnection()) {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT name, v FROM items")) {
          while (rs.next()) {
            rows.put(rs.getString(1), rs.getInt(2));
          }
        }
        try (ResultSet rs = c.createStatement().executeQuery("SELECT id, n FROM counters")) {
          while (rs.next()) {
            counters.put(rs.getLong(1), rs.getLong(2));
          }
        }
      }
      List<String> missing = new ArrayList<>();
      List<String> wrongValue = new ArrayList<>();
      present.forEach((name, v) -> {
        if (!rows.containsKey(name)) {
          missing.add(name);
        } else if (!rows.get(name).equals(v)) {
          wrongValue.add(name + "=" + rows.get(name) + " (acknowledged " + v + ")");
        }
      });
      List<String> resurrected = deleted.keySet().stream().filter(rows::containsKey).toList();
      List<String> unexplained = rows.keySet().stream().filter(n -> !present.containsKey(n) && !maybe.containsKey(n)
          && !deleted.containsKey(n) && !foreign.containsKey(n)).toList();
      List<String> counterMismatch = new ArrayList<>();
      increments.forEach((id, n) -> {
        long stored = counters.getOrDefault(id, 0L);
        int maybeMore = maybeIncrements.getOrDefault(id, new AtomicInteger()).get();
        if (stored < n.get() || stored > n.get() + maybeMore) {
          counterMismatch.add(id + ": stored " + stored + ", acknowledged " + n.get() + " (+" + maybeMore + " unknown)");
        }
      });
      assertThat(untyped).as("untyped failures").isEmpty();
      assertThat(wrongReads).as("reads that missed an acknowledged write").isEmpty();
      assertThat(missing).as("acknowledged inserts missing").isEmpty();
      assertThat(wrongValue).as("acknowledged updates missing").isEmpty();
      assertThat(resurrected).as("acknowledged deletes not applied").isEmpty();
      assertThat(counterMismatch).as("acknowledged increments").isEmpty();
      assertThat(unexplained).as("rows nobody acknowledged").isEmpty();
      assertThat(acknowledged.get()).as("acknowledged operations")
          .isGreaterThan(THREADS * OPS_PER_THREAD / (withDao ? 2 : 4));
    }
  }

  /**
   * Each thread alternates holdfast's repository, a holdfast transaction and the user's wrapped DAO: inserts,
   * batches, updates, deletes, counter increments and reads of rows it was just told exist.
   */
  static Ledger runLoad(Repository<Item, Long> items, JdbcTransactions tx, LedgerDao dao, boolean withDao)
      throws Exception {
    Ledger ledger = new Ledger(withDao);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          List<Item> mine = new ArrayList<>();
          List<Item> daoMine = new ArrayList<>();
          for (int i = 0; i < OPS_PER_THREAD; i++) {
            String name = "t" + thread + "-" + i;
            long counter = thread * 10L + i % 3;
            boolean daoOp = i % 8 == 4 || i % 8 == 5 || i % 8 == 6;
            try {
              switch (i % 8) {
                case 0 -> {
                  try {
                    mine.add(items.insert(new Item(null, name, i)));
                    ledger.present.put(name, i);
                  } catch (UnknownOutcomeException e) {
                    ledger.maybe.put(name, true);
                  }
                }
                case 1 -> {
                  List<Item> batch = List.of(new Item(null, name + "a", 1), new Item(null, name + "b", 2));
                  try {
                    mine.addAll(items.insertAll(batch));
                    batch.forEach(b -> ledger.present.put(b.name(), b.v()));
                  } catch (UnknownOutcomeException e) {
                    batch.forEach(b -> ledger.maybe.put(b.name(), true));
                  }
                }
                case 2 -> {
                  if (!mine.isEmpty()) {
                    Item target = mine.get(mine.size() - 1);
                    Optional<Item> updated = items.updateById(target.id(), Changes.set("v", -i));
                    if (updated.isPresent()) {
                      ledger.present.put(target.name(), -i);
                    } else {
                      ledger.wrongReads.add("update found no " + target);
                    }
                  }
                }
                case 3 -> {
                  try {
                    tx.inTransaction("increment", t2 -> t2.update("INSERT INTO counters (id, n) VALUES (?, 1) "
                        + "ON CONFLICT (id) DO UPDATE SET n = counters.n + 1", counter));
                    ledger.increments.computeIfAbsent(counter, k -> new AtomicInteger()).incrementAndGet();
                  } catch (UnknownOutcomeException e) {
                    ledger.maybeIncrements.computeIfAbsent(counter, k -> new AtomicInteger()).incrementAndGet();
                  }
                }
                case 4 -> {
                  String daoName = "dao-" + name;
                  if (!withDao) {
                    ledger.foreign.put(daoName, true);
                  }
                  try {
                    long id = dao.insert(daoName, i);
                    daoMine.add(new Item(id, daoName, i));
                    if (withDao) {
                      ledger.present.put(daoName, i);
                    }
                  } catch (UnknownOutcomeException e) {
                    ledger.maybe.put(daoName, true);
                  }
                }
                case 5 -> {
                  if (daoMine.size() > 1) {
                    Item target = daoMine.remove(0);
                    boolean deleted = dao.delete(target.id());
                    if (withDao && deleted) {
                      ledger.present.remove(target.name());
                      ledger.deleted.put(target.name(), true);
                    } else if (withDao) {
                      ledger.wrongReads.add("delete found no " + target);
                    }
                  }
                }
                case 6 -> {
                  long daoCounter = 1_000_000 + counter;
                  try {
                    dao.increment(daoCounter);
                    if (withDao) {
                      ledger.increments.computeIfAbsent(daoCounter, k -> new AtomicInteger()).incrementAndGet();
                    }
                  } catch (UnknownOutcomeException e) {
                    ledger.maybeIncrements.computeIfAbsent(daoCounter, k -> new AtomicInteger()).incrementAndGet();
                  }
                }
                default -> {
                  for (Item known : mine) {
                    Integer expected = ledger.present.get(known.name());
                    Optional<Item> read = items.findById(known.id());
                    if (expected != null && (read.isEmpty() || read.get().v() != expected)) {
                      ledger.wrongReads.add(known.name() + ": read " + read + ", acknowledged v=" + expected);
                    }
                  }
                  if (withDao) {
                    for (Item known : daoMine) {
                      Integer expected = ledger.present.get(known.name());
                      Optional<Item> read = dao.findById(known.id());
                      if (expected != null && (read.isEmpty() || read.get().v() != expected)) {
                        ledger.wrongReads.add(known.name() + ": read " + read + ", acknowledged v=" + expected);
                      }
                    }
                    if (!daoMine.isEmpty()) {
                      Item last = daoMine.get(daoMine.size() - 1);
                      if (ledger.present.containsKey(last.name()) && dao.setValue(last.id(), 1000 + i)) {
                        ledger.present.put(last.name(), 1000 + i);
                      }
                    }
                  }
                }
              }
              ledger.acknowledged.incrementAndGet();
            } catch (Throwable e) {
              if (daoOp && !withDao) {
                ledger.foreignFailures.add(e);
              } else {
                ledger.failed(e);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return ledger;
  }
}
