package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.TransientException;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.TestPostgres;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: while the database refused connections, every attempt waited HikariCP's whole connectionTimeout
 * (5 s by default) for a pooled connection, so a call overran its deadline by seconds.
 */
class ConnectionBorrowDeadlineTest {
  private static final TableRef ITEMS = new TableRef("public", "items", "id", List.of("id"));

  @Test
  void waitingForAPooledConnectionIsBoundedByTheAttemptTimeout() {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestPostgres.port());
        JdbcBackend backend = JdbcBackend.builder(
                "postgresql://postgres@127.0.0.1:" + proxy.port() + "/postgres")
            .connectionTimeout(Duration.ofSeconds(30)).build()) {
      proxy.refuseNewConnections();

      TransientException failure = catchThrowableOfType(TransientException.class,
          () -> backend.count(CallContext.of("test", Duration.ofMillis(400)), ITEMS, Filter.all()));

      // The first line says what happened and where; the wait was bounded by the attempt's 400 ms, not the
      // configured 30 s.
      assertThat(failure.reason()).startsWith("Connection reset").contains("127.0.0.1:" + proxy.port());
      Throwable cause = failure;
      while (cause != null && !(cause instanceof SQLTransientConnectionException)) {
        cause = cause.getCause();
      }
      assertThat(cause).isNotNull();
      assertThat(cause.getMessage()).containsPattern("no connection within (3\\d\\d|4\\d\\d) ms");
      assertThat(failure.requestSent()).isFalse();
    }
  }
}
