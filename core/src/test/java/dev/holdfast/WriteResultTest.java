package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.WriteResult.Outcome;
import org.junit.jupiter.api.Test;

class WriteResultTest {
  private static final ErrorDetails DETAILS = ErrorDetails.of("fake");

  @Test
  void aRejectedOrUnsentWriteFailed() {
    assertThat(WriteResult.of(new ConflictException("dup", DETAILS, "pk", null)).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(WriteResult.of(new CircuitOpenException("open", DETAILS, null)).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(WriteResult.of(KvBackend.refused()).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aWriteWhoseAnswerWasLostHasAnUnknownOutcome() {
    assertThat(WriteResult.of(new UnknownOutcomeException("lost", DETAILS, null)).outcome())
        .isEqualTo(Outcome.UNKNOWN);
    assertThat(WriteResult.of(KvBackend.connectionReset()).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(WriteResult.of(new DeadlineExceededException("late", DETAILS, KvBackend.connectionReset()))
        .outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void aDeadlineAfterAttemptsThatAllNeverLeftFailed() {
    assertThat(WriteResult.of(new DeadlineExceededException("late", DETAILS, KvBackend.refused())).outcome())
        .isEqualTo(Outcome.FAILED);
    assertThat(WriteResult.of(new DeadlineExceededException("late", DETAILS, null, false)).outcome())
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void anEarlierAttemptThatMayHaveLandedMakesTheOutcomeUnknown() {
    CircuitOpenException last = new CircuitOpenException("open", DETAILS, null);
    last.addSuppressed(KvBackend.connectionReset());
    RetryBudgetExhaustedException budget = new RetryBudgetExhaustedException("budget", DETAILS,
        KvBackend.connectionReset());

    assertThat(WriteResult.of(last).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(WriteResult.of(budget).outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void onlyAnAppliedWriteHasNoError() {
    assertThat(WriteResult.applied().isApplied()).isTrue();
    assertThat(WriteResult.applied().error()).isEmpty();
    assertThat(WriteResult.of(KvBackend.refused()).error()).isPresent();
    assertThat(WriteResult.of(KvBackend.refused()).toString()).contains("FAILED", "connection refused");
  }
}
