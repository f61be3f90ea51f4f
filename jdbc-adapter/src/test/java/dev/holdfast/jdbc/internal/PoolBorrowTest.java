package dev.holdfast.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The borrow's timing on a fake clock: a fake pool advances the clock by each wait it is given, and a scripted
 * server answers the attempts the pool's own threads would make. No sleeps.
 */
class PoolBorrowTest {
  private static final String ADDRESS = "db.example.com:5432";
  private static final long MS = 1_000_000;

  private final AtomicLong nanos = new AtomicLong(1_000 * MS);
  private final Deque<Object> answers = new ArrayDeque<>();
  private final List<Properties> attempts = new ArrayList<>();
  private final Connector connector = new Connector(ADDRESS, extra -> {
    attempts.add(extra);
    Object next = answers.isEmpty() ? refused() : answers.poll();
    if (next instanceof SQLException e) {
      throw e;
    }
    return (Connection) next;
  }, nanos::get);

  /** A pool with no connections whose background attempt runs during each wait, as HikariCP's does. */
  private final class FakePool implements PoolBorrow.Pool {
    int total;
    int waits;
    long connectionAfterMillis = Long.MAX_VALUE;
    boolean attemptsWhileWaiting = true;
    private long waitedMillis;

    @Override
    public Connection getConnection(long timeoutMillis) throws SQLException {
      waits++;
      if (attemptsWhileWaiting) {
        try (Connection c = connector.getConnection()) {
          total++;
          waitedMillis += 1;
          nanos.addAndGet(MS);
          return c;
        } catch (SQLException failed) {
          // Recorded by the connector; HikariCP would back off and try again.
        }
      }
      if (waitedMillis + timeoutMillis >= connectionAfterMillis) {
        nanos.addAndGet((connectionAfterMillis - waitedMillis) * MS);
        waitedMillis = connectionAfterMillis;
        total++;
        return connection();
      }
      waitedMillis += timeoutMillis;
      nanos.addAndGet(timeoutMillis * MS);
      throw new SQLTransientConnectionException("holdfast-1 - Connection is not available, request timed out after "
          + timeoutMillis + "ms (total=" + total + ", active=" + total + ", idle=0, waiting=1)");
    }

    @Override
    public int totalConnections() {
      return total;
    }
  }

  @Test
  void aLoginRefusedDuringTheWaitEndsTheBorrowAtTheEndOfTheFirstFiveMillisecondSlice() {
    answers.add(fatal("password authentication failed for user \"app\"", "28P01"));
    FakePool pool = new FakePool();
    long start = nanos.get();

    SQLException e = catchThrowableOfType(SQLException.class, () -> PoolBorrow.borrow(pool, connector, 30_000));

    assertThat(e.getMessage()).isEqualTo("FATAL: password authentication failed for user \"app\" (" + ADDRESS + ")");
    assertThat(e.getSQLState()).isEqualTo("28P01");
    assertThat((nanos.get() - start) / MS).isEqualTo(PoolBorrow.FIRST_SLICE_MILLIS);
    assertThat(pool.waits).isEqualTo(1);
  }

  @Test
  void aRefusedLoginLessThanASecondOldIsGivenAgainWithoutAskingTheServerOrThePool() throws Exception {
    answers.add(fatal("Tenant or user not found", "XX000"));
    catchThrowableOfType(SQLException.class, () -> connector.getConnection());
    nanos.addAndGet(900 * MS);
    FakePool pool = new FakePool();

    SQLException e = catchThrowableOfType(SQLException.class, () -> PoolBorrow.borrow(pool, connector, 30_000));

    assertThat(e.getMessage()).startsWith("FATAL: Tenant or user not found");
    assertThat(attempts).hasSize(1);
    assertThat(pool.waits).isZero();
  }

  @Test
  void aPoolThatStillHoldsConnectionsHandsThemOutAfterARefusedLogin() throws SQLException {
    answers.add(fatal("password authentication failed for user \"app\"", "28P01"));
    catchThrowableOfType(SQLException.class, () -> connector.getConnection());
    FakePool pool = new FakePool();
    pool.attemptsWhileWaiting = false;
    pool.total = 3;
    pool.connectionAfterMillis = 0;

    try (Connection c = PoolBorrow.borrow(pool, connector, 30_000)) {
      assertThat(c).isNotNull();
    }
  }

  @Test
  void anOldFailureWithNothingPooledIsCheckedWithOneDirectAttemptBoundedByTheBorrow() {
    catchThrowableOfType(SQLException.class, () -> connector.getConnection());
    nanos.addAndGet(5_000 * MS);
    answers.add(fatal("database \"app\" does not exist", "3D000"));
    FakePool pool = new FakePool();

    SQLException e = catchThrowableOfType(SQLException.class, () -> PoolBorrow.borrow(pool, connector, 4_000));

    assertThat(e.getMessage()).isEqualTo("FATAL: database \"app\" does not exist (" + ADDRESS + ")");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).getProperty("loginTimeout")).isEqualTo("4.000");
    assertThat(pool.waits).isZero();
  }

  @Test
  void aRefusedConnectionWithNothingPooledEndsTheBorrowAtOnceWithItsHeadline() {
    FakePool pool = new FakePool();
    long start = nanos.get();

    ConnectFailure e = catchThrowableOfType(ConnectFailure.class, () -> PoolBorrow.borrow(pool, connector, 400));

    // The guard's backoff, retry quota and breaker decide what follows, not a wait inside the pool.
    assertThat(e.getMessage()).isEqualTo("Connection refused: " + ADDRESS);
    assertThat((nanos.get() - start) / MS).isEqualTo(PoolBorrow.FIRST_SLICE_MILLIS);
    assertThat(pool.waits).isEqualTo(1);
  }

  @Test
  void aRefusalAFewMillisecondsOldIsGivenAgainWithoutAskingTheServerOrThePool() {
    catchThrowableOfType(SQLException.class, () -> connector.getConnection());
    nanos.addAndGet(20 * MS);
    FakePool pool = new FakePool();

    SQLException e = catchThrowableOfType(SQLException.class, () -> PoolBorrow.borrow(pool, connector, 5_000));

    assertThat(e.getMessage()).isEqualTo("Connection refused: " + ADDRESS);
    assertThat(attempts).hasSize(1);
    assertThat(pool.waits).isZero();
  }

  @Test
  void aServerThatIsBackIsReachedByADirectAttemptInsteadOfWaitingForThePoolsNextTry() throws SQLException {
    FakePool pool = new FakePool();
    pool.attemptsWhileWaiting = false;
    catchThrowableOfType(SQLException.class, () -> connector.getConnection());
    nanos.addAndGet(100 * MS);
    Connection back = connection();
    answers.add(back);

    try (Connection c = PoolBorrow.borrow(pool, connector, 5_000)) {
      assertThat(c).isSameAs(back);
    }
    assertThat(pool.waits).as("HikariCP's own retry may be seconds away").isZero();
  }

  @Test
  void aBusyPoolSaysSoWhenNoConnectionFreesUpInTime() {
    FakePool pool = new FakePool();
    pool.attemptsWhileWaiting = false;
    pool.total = 10;

    SQLTransientConnectionException e = catchThrowableOfType(SQLTransientConnectionException.class,
        () -> PoolBorrow.borrow(pool, connector, 250));

    assertThat(e.getMessage()).isEqualTo("No pooled connection became free within 250 ms: all 10 connections are "
        + "in use");
    assertThat(attempts).isEmpty();
  }

  @Test
  void onlyOneDirectAttemptRunsAtATime() {
    List<Boolean> nestedProbeRan = new ArrayList<>();
    Connector[] self = new Connector[1];
    self[0] = new Connector(ADDRESS, extra -> {
      // A second borrower asking while this attempt is under way gets no second attempt.
      nestedProbeRan.add(self[0].probe(1_000).isPresent());
      throw refused();
    }, nanos::get);

    assertThat(self[0].probe(1_000)).hasValueSatisfying(o -> assertThat(o.outcome().failed()).isTrue());
    assertThat(nestedProbeRan).containsExactly(false);
  }

  private static SQLException fatal(String message, String state) {
    return new SQLException("FATAL: " + message, state);
  }

  private static SQLException refused() {
    return new SQLException("Connection to db.example.com:5432 refused. Check that the hostname and port are "
        + "correct and that the postmaster is accepting TCP/IP connections.", "08001",
        new ConnectException("Connection refused"));
  }

  private static Connection connection() {
    return (Connection) Proxy.newProxyInstance(PoolBorrowTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("isClosed") ? false
            : null);
  }
}
