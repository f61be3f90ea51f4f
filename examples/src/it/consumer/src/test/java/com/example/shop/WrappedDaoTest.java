package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Guard;
import dev.holdfast.GuardEvent;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.Resilient;
import dev.holdfast.testkit.EmbeddedPostgresExtension;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@Order(2)
@ExtendWith(EmbeddedPostgresExtension.class)
class WrappedDaoTest {
  /** The application's existing DAO. */
  interface Titles {
    Optional<String> title(long id) throws SQLException;
  }

  record JdbcTitles(PGSimpleDataSource dataSource) implements Titles {
    @Override
    public Optional<String> title(long id) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT title FROM titles WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet r = ps.executeQuery()) {
          return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
        }
      }
    }
  }

  @Test
  void retriesAReadThroughRefusedConnections(TestDatabase db) throws Exception {
    db.execute("CREATE TABLE titles (id bigint PRIMARY KEY, title text NOT NULL)",
        "INSERT INTO titles VALUES (1, 'write')");
    try (FaultProxy proxy = FaultProxy.start(db.host(), db.port())) {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + db.name() + "?user="
          + db.user() + "&prepareThreshold=0&connectTimeout=2");
      AtomicInteger retries = new AtomicInteger();
      // The database comes back when the first retry is scheduled: no sleeping, no race.
      try (Guard guard = Guard.builder("titles-db").policy(ResiliencePolicy.builder().maxAttempts(4)
          .withoutCircuitBreaker().build()).listener(event -> {
            if (event instanceof GuardEvent.RetryScheduled) {
              retries.incrementAndGet();
              proxy.heal();
            }
          }).build()) {
        Titles titles = Resilient.wrap(Titles.class, new JdbcTitles(dataSource), guard);
        proxy.refuseNewConnections();

        assertThat(titles.title(1)).contains("write");
        assertThat(retries.get()).isEqualTo(1);
      }
    }
  }
}
