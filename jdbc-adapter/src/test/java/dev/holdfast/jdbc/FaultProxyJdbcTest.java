package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Holdfast;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.UnknownOutcomeException;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.TestDatabase;
import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Network faults between holdfast and a real PostgreSQL, injected with the testkit's {@link FaultProxy}. */
class FaultProxyJdbcTest {
  private TestDatabase database;
  private FaultProxy proxy;
  private Holdfast db;

  @BeforeEach
  void start() throws Exception {
    database = TestPostgres.createDatabase();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ledger (id bigint PRIMARY KEY, note text NOT NULL)");
    }
    proxy = FaultProxy.start(database.host(), database.port());
    JdbcBackend backend = JdbcBackend.builder("postgresql://" + database.user() + "@127.0.0.1:" + proxy.port() + "/"
        + database.name()).connectTimeout(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(1)).build();
    ResiliencePolicy policy = ResiliencePolicy.builder().maxAttempts(10).deadline(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(1)).withoutCircuitBreaker().withoutRetryBudget().build();
    db = Holdfast.builder(backend).policy(policy).build();
  }

  @AfterEach
  void stop() {
    db.close();
    proxy.close();
    database.close();
  }

  @Test
  void aCommitWhoseReplyIsLostEndsInUnknownOutcomeAndRanExactlyOnce() throws Exception {
    JdbcTransactions transactions = JdbcTransactions.of(db);
    assertThatThrownBy(() -> transactions.inTransaction("ledger.append", tx -> {
      tx.update("INSERT INTO ledger (id, note) VALUES (?, ?)", 1, "paid");
      // COMMIT still reaches the server; nothing comes back: the client cannot know whether it committed.
      proxy.inject(new FaultProxy.Fault.CutAfterBytes(0, FaultProxy.Direction.DOWNSTREAM));
      return null;
    })).isInstanceOf(UnknownOutcomeException.class);

    assertThat(countRows()).isEqualTo(1);
  }

  @Test
  void aReadWaitsOutABlackHoleWithinItsDeadline() throws Exception {
    transactionsInsert();
    proxy.blackHole();
    CompletableFuture<Long> read = CompletableFuture.supplyAsync(
        () -> JdbcTransactions.of(db).inTransaction("ledger.count",
            tx -> tx.query("SELECT count(*) AS n FROM ledger").get(0).get("n").longValue()));
    Thread.sleep(1_500);  // at least one attempt times out in the black hole
    proxy.heal();
    assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(1L);
  }

  private void transactionsInsert() {
    JdbcTransactions.of(db).inTransaction("ledger.seed",
        tx -> tx.update("INSERT INTO ledger (id, note) VALUES (?, ?)", 7, "seed"));
  }

  private long countRows() throws Exception {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
