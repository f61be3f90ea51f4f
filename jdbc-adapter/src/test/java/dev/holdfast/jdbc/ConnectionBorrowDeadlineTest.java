package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.holdfast.CallContext;
import dev.holdfast.Filter;
import dev.holdfast.TransientException;
import dev.holdfast.spi.TableRef;
import dev.holdfast.testkit.FaultProxy;
import dev.holdfast.testkit.TestPostgres;
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
  void aPathThatRefusesConnectionsFailsTheAttemptAtOnceRatherThanWaitingThePoolsTimeout() {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestPostgres.port());
        JdbcBackend backend = JdbcBackend.builder(
                "postgresql://postgres@127.0.0.1:" + proxy.port() + "/postgres")
            .connectionTimeout(Duration.ofSeconds(30)).build()) {
      proxy.refuseNewConnections();

      TransientException failure = catchThrowableOfType(TransientException.class,
          () -> backend.count(CallContext.of("test", Duration.ofMillis(400)), ITEMS, Filter.all()));

      // The first line says what happened and where; nothing waited for HikariCP's configured 30 s: with no
      // pooled connection, the pool's failed attempt ends the borrow, and the guard's backoff does the waiting.
      assertThat(failure.reason()).startsWith("Connection reset").contains("127.0.0.1:" + proxy.port());
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain("30000ms");
      }
      assertThat(failure.requestSent()).isFalse();
    }
  }
}
