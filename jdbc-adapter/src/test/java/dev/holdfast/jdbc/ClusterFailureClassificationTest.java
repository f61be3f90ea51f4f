package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.ConfigurationException;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.jdbc.internal.SqlFailures;
import dev.holdfast.jdbc.internal.SqlFailures.Phase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ClusterFailureClassificationTest {
  private static HoldfastException classify(Throwable t, Phase phase) {
    return SqlFailures.classify(t, "jdbc", phase, true, null).orElseThrow();
  }

  @Test
  void aWriteOnADemotedPrimaryIsTransientAndNothingWasApplied() {
    SQLException e = new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006");
    for (Phase phase : Phase.values()) {
      HoldfastException h = classify(e, phase);
      assertThat(h).isInstanceOf(TransientException.class);
      // Not sent in effect: even a plain insert may run again.
      assertThat(((TransientException) h).requestSent()).isFalse();
      assertThat(h.code()).contains("25006");
    }
  }

  @Test
  void noServerOfTheTargetTypeIsTransient() {
    PSQLException e = new PSQLException("Could not find a server with specified targetServerType: primary",
        PSQLState.CONNECTION_UNABLE_TO_CONNECT);
    HoldfastException h = classify(e, Phase.CONNECT);
    assertThat(h).isInstanceOf(TransientException.class).isNotInstanceOf(ConfigurationException.class);
    assertThat(h.hint()).contains("failover");
    assertThat(SqlFailures.serverChangedRole(e)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03"})
  void shutdownsAndRecoveryAreTransient(String state) {
    SQLException e = new SQLException("FATAL: terminating connection due to administrator command", state);
    assertThat(classify(e, Phase.BEFORE_COMMIT)).isInstanceOf(TransientException.class);
    assertThat(SqlFailures.serverChangedRole(e)).isTrue();
  }

  @Test
  void aConnectionRefusedDuringPromotionIsTransient() {
    PSQLException e = new PSQLException("Connection to 127.0.0.1:5433 refused. Check that the hostname and port "
        + "are correct and that the postmaster is accepting TCP/IP connections.",
        PSQLState.CONNECTION_UNABLE_TO_CONNECT, new java.net.ConnectException("Connection refused"));
    assertThat(classify(e, Phase.CONNECT)).isInstanceOf(TransientException.class);
  }

  @Test
  void aConstraintViolationDoesNotReplaceThePool() {
    assertThat(SqlFailures.serverChangedRole(new SQLException("duplicate key", "23505"))).isFalse();
    assertThat(SqlFailures.serverChangedRole(new SQLException("connection reset", "08006"))).isFalse();
  }
}
