package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ConflictException;
import dev.holdfast.HoldfastException;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.SchemaMismatchException;
import dev.holdfast.TransientException;
import dev.holdfast.jdbc.internal.SqlFailures;
import dev.holdfast.spi.ErrorClassifier;
import java.io.EOFException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class SqlStateClassifierTest {
  private final SqlStateClassifier classifier = new SqlStateClassifier();

  private HoldfastException classify(Throwable t) {
    return classifier.classify(t, "jdbc").orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({
      "08001, TransientException", "08006, TransientException", "57P01, TransientException",
      "57P02, TransientException", "57P03, TransientException", "53300, TransientException",
      "53100, TransientException", "58030, TransientException", "40001, TransientException",
      "40P01, TransientException", "55P03, TransientException", "57014, TransientException",
      "22P02, InvalidRequestException", "22001, InvalidRequestException", "42601, InvalidRequestException",
      "23505, ConflictException", "23503, ConflictException", "42P01, SchemaMismatchException",
      "42703, SchemaMismatchException", "28P01, ConfigurationException", "28000, ConfigurationException",
      "3D000, ConfigurationException", "26000, ConfigurationException", "42P05, ConfigurationException",
      "42501, ConfigurationException", "XX001, HoldfastException"})
  void classifiesBySqlState(String state, String type) {
    HoldfastException e = classify(new SQLException("boom", state));
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.code()).contains(state);
  }

  @Test
  void tenantOrUserNotFoundIsAConfigurationErrorAboutThePoolerUser() {
    HoldfastException e = classify(new SQLException("FATAL: Tenant or user not found", "XX000"));
    assertThat(e).isInstanceOf(ConfigurationException.class);
    assertThat(e.hint()).contains("postgres.<project-ref>");
  }

  @Test
  void preparedStatementProtocolErrorsSayWhatToSet() {
    HoldfastException e = classify(new SQLException(
        "ERROR: bind message supplies 1 parameters, but prepared statement \"S_1\" requires 0", "08P01"));
    assertThat(e).isInstanceOf(ConfigurationException.class);
    assertThat(e.hint()).contains("prepareThreshold=0");
    assertThat(classify(new SQLException("ERROR: invalid message format", "08P01")))
        .isInstanceOf(TransientException.class);
  }

  @Test
  void failuresWhileConnectingWereNotSent() {
    assertThat(((TransientException) classify(new SQLException("refused", "08001"))).requestSent()).isFalse();
    assertThat(((TransientException) classify(new SQLException("too many clients", "53300"))).requestSent())
        .isFalse();
    assertThat(((TransientException) classify(new SQLTransientConnectionException("pool timed out")))
        .requestSent()).isFalse();
    assertThat(((TransientException) classify(new SQLException("I/O error", "08006"))).requestSent()).isTrue();
  }

  @Test
  void rolledBackTransactionsNeverTookEffect() {
    assertThat(((TransientException) classify(new SQLException("could not serialize", "40001"))).requestSent())
        .isFalse();
  }

  @Test
  void aLostConnectionDuringCommitIsAnUnknownOutcome() {
    var e = SqlFailures.classify(new SQLException("An I/O error occurred", "08006"), "jdbc",
        SqlFailures.Phase.COMMIT).orElseThrow();
    // The guard turns it into UnknownOutcomeException for a non-idempotent write, and retries an idempotent one.
    assertThat(e).isInstanceOfSatisfying(TransientException.class, t -> assertThat(t.requestSent()).isTrue());
    assertThat(e.getMessage()).contains("COMMIT was in flight");
    var before = SqlFailures.classify(new SQLException("An I/O error occurred", "08006"), "jdbc",
        SqlFailures.Phase.BEFORE_COMMIT).orElseThrow();
    assertThat(((TransientException) before).requestSent()).isFalse();
  }

  @Test
  void walksTheCauseChainAndNextExceptions() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
    batch.setNextException(new SQLException("duplicate key", "23505"));
    HoldfastException e = classify(new RuntimeException("dao failed", batch));
    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(classify(new IllegalStateException(new SQLException("io", new EOFException()))))
        .isInstanceOf(TransientException.class);
    assertThat(classify(new SQLException("reset", new SocketException("Connection reset"))))
        .isInstanceOf(TransientException.class);
  }

  @Test
  void namesTheViolatedConstraint() {
    PSQLException e = new PSQLException(new ServerErrorMessage(
        "SERROR\u0000C23505\u0000Mduplicate key value violates unique constraint\u0000ntasks_pkey\u0000"));
    assertThat(classify(e)).isInstanceOfSatisfying(ConflictException.class,
        c -> assertThat(c.constraint()).contains("tasks_pkey"));
  }

  @Test
  void failuresWithoutAnSqlExceptionAreNotRecognised() {
    assertThat(classifier.classify(new IllegalArgumentException("x"), "jdbc")).isEmpty();
    assertThat(classifier.classify(null, "jdbc")).isEmpty();
  }

  @Test
  void passwordsInDriverMessagesAreMasked() {
    HoldfastException e = classify(new SQLException(
        "could not connect to postgresql://app:hunter2@db:5432/app password=hunter2", "08001"));
    assertThat(e.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void isRegisteredAsAServiceAndReturnedByTheBackend() {
    assertThat(ServiceLoader.load(ErrorClassifier.class).stream().map(ServiceLoader.Provider::type))
        .contains(SqlStateClassifier.class);
    try (JdbcBackend backend = JdbcBackend.builder("postgresql://u@127.0.0.1:1/db").build()) {
      assertThat(backend.errorClassifier()).isInstanceOf(SqlStateClassifier.class);
    }
  }

  @Test
  void unclassifiedStatesAreStillTypedButNotRetried() {
    HoldfastException e = classify(new SQLException("internal", "XX000"));
    assertThat(e).isNotInstanceOf(TransientException.class).isNotInstanceOf(InvalidRequestException.class)
        .isNotInstanceOf(SchemaMismatchException.class);
  }
}
