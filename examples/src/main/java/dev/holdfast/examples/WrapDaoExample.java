package dev.holdfast.examples;

import dev.holdfast.Attempts;
import dev.holdfast.DefaultOnFailure;
import dev.holdfast.Fallback;
import dev.holdfast.Guard;
import dev.holdfast.GuardEvent;
import dev.holdfast.HoldfastException;
import dev.holdfast.Idempotent;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Resilient;
import dev.holdfast.testkit.FaultProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Wrapping a DAO you already have. {@code JdbcOrderDao} is plain JDBC that knows nothing about holdfast;
 * {@link Resilient#wrap} puts each method of its interface under a policy, as the annotations say. holdfast-jdbc's
 * SQLSTATE classifier (found on the class path) tells a dropped connection (retry) from a duplicate key (don't).
 */
public final class WrapDaoExample {
  /** An order row. */
  public record Order(long id, String customer, long cents) {}

  /** The DAO's interface, annotated for holdfast; the implementation is untouched. */
  public interface OrderDao {
    Optional<Order> findById(long id) throws SQLException;          // named like a read: retried

    @DefaultOnFailure
    List<Order> listRecent(int limit) throws SQLException;          // an empty list if the database stays down

    @Idempotent
    @Attempts(5)
    void upsert(Order order) throws SQLException;                   // safe to repeat

    void insert(Order order) throws SQLException;                   // not repeated once it may have arrived

    @Fallback("unknownTotal")
    long totalCents(String customer) throws SQLException;

    default long unknownTotal(String customer, HoldfastException failure) {
      return -1;
    }
  }

  /** The application's existing DAO: plain JDBC. */
  static final class JdbcOrderDao implements OrderDao {
    private final DataSource dataSource;

    JdbcOrderDao(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    @Override
    public Optional<Order> findById(long id) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT id, customer, cents FROM orders WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Order(rs.getLong(1), rs.getString(2), rs.getLong(3))) : Optional.empty();
        }
      }
    }

    @Override
    public List<Order> listRecent(int limit) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT id, customer, cents FROM orders ORDER BY id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        List<Order> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Order(rs.getLong(1), rs.getString(2), rs.getLong(3)));
          }
        }
        return out;
      }
    }

    @Override
    public void upsert(Order order) throws SQLException {
      write("INSERT INTO orders (id, customer, cents) VALUES (?, ?, ?) "
          + "ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, cents = excluded.cents", order);
    }

    @Override
    public void insert(Order order) throws SQLException {
      write("INSERT INTO orders (id, customer, cents) VALUES (?, ?, ?)", order);
    }

    @Override
    public long totalCents(String customer) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(cents), 0) FROM orders WHERE customer = ?")) {
        ps.setString(1, customer);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    private void write(String sql, Order order) throws SQLException {
      try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, order.id());
        ps.setString(2, order.customer());
        ps.setLong(3, order.cents());
        ps.executeUpdate();
      }
    }
  }

  private WrapDaoExample() {}

  public static void main(String[] args) throws Exception {
    DriverLogs.quiet();
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        FaultProxy proxy = FaultProxy.start("127.0.0.1", postgres.getPort())) {
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, cents bigint NOT NULL)");
      }
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres"
          + "&prepareThreshold=0&connectTimeout=2&socketTimeout=5");

      AtomicInteger retries = new AtomicInteger();
      ResiliencePolicy policy = ResiliencePolicy.builder().maxAttempts(4).deadline(Duration.ofSeconds(5))
          .withoutCircuitBreaker().build();
      try (Guard guard = Guard.builder("orders-db").policy(policy)
          .listener(e -> {
            if (e instanceof GuardEvent.RetryScheduled) {
              retries.incrementAndGet();
            }
          }).build()) {
        OrderDao orders = Resilient.wrap(OrderDao.class, new JdbcOrderDao(dataSource), guard);
        out.println("1. A plain JDBC DAO, wrapped: " + orders);
        orders.upsert(new Order(1, "ada", 1_250));
        orders.insert(new Order(2, "ada", 990));
        out.println("   two orders written; ada's total: " + orders.totalCents("ada") + " cents");

        out.println("2. A duplicate key is not retried; its type says why: ");
        try {
          orders.insert(new Order(2, "ada", 990));
        } catch (HoldfastException e) {
          out.println("   " + e.getClass().getSimpleName() + " after " + e.attempts() + " attempt(s): "
              + e.code().orElse("?"));
        }

        out.println("3. The database refuses connections for a moment; a read retries through it.");
        proxy.refuseNewConnections();
        Thread healer = new Thread(() -> {
          sleep(300);
          proxy.heal();
        });
        healer.start();
        out.println("   order 1: " + orders.findById(1).map(Order::customer).orElse("?") + " (after "
            + retries.get() + " retries)");
        healer.join();

        out.println("4. The database stays down; annotated methods degrade instead of failing.");
        proxy.refuseNewConnections();
        out.println("   recent orders: " + orders.listRecent(10) + " (empty: @DefaultOnFailure)");
        out.println("   ada's total:   " + orders.totalCents("ada") + " (-1: @Fallback)");
        proxy.heal();
        out.println("   and back again: " + orders.listRecent(10).size() + " recent orders");
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
