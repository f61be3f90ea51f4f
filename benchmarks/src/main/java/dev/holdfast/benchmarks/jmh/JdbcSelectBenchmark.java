package dev.holdfast.benchmarks.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Holdfast;
import dev.holdfast.Repository;
import dev.holdfast.Table;
import dev.holdfast.jdbc.JdbcBackend;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Select by id against an embedded PostgreSQL, hand-written pgjdbc against holdfast's repository over the same
 * one-connection HikariCP pool: run with {@code -prof gc}, its {@code gc.alloc.rate.norm} is what each select
 * allocates on the client (the driver's own allocations included, on both sides).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JdbcSelectBenchmark {
  /** The benchmark's rows. */
  public record Item(Long id, String name, int qty) {}

  private static final Table<Item, Long> TABLE = Table.builder("jmh_items", Item.class, Long.class).build();
  private static final int ROWS = 1_000;

  private EmbeddedPostgres pg;
  private HikariDataSource pool;
  private Holdfast db;
  private Repository<Item, Long> repo;
  private long next;

  @Setup(Level.Trial)
  public void start() throws IOException, SQLException {
    pg = EmbeddedPostgres.builder().start();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
    config.setMaximumPoolSize(1);
    config.addDataSourceProperty("prepareThreshold", "0");
    config.addDataSourceProperty("preparedStatementCacheQueries", "0");
    config.addDataSourceProperty("stringtype", "unspecified");
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE jmh_items (id bigserial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)");
      s.execute("INSERT INTO jmh_items (name, qty) SELECT 'item ' || g, g FROM generate_series(1, " + ROWS + ") g");
    }
    db = Holdfast.builder(JdbcBackend.builder(pool).transactionPooler(false).build()).build();
    repo = db.repository(TABLE);
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    db.close();
    pool.close();
    pg.close();
  }

  private long nextId() {
    next = next % ROWS + 1;
    return next;
  }

  @Benchmark
  public Item raw() throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, name, qty FROM jmh_items WHERE id = ?")) {
      ps.setLong(1, nextId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Item(rs.getLong(1), rs.getString(2), rs.getInt(3));
      }
    }
  }

  @Benchmark
  public Item holdfast() {
    return repo.findById(nextId()).orElseThrow();
  }
}
