package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.SafeResult.Source;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SafeTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Guard guard = Guard.builder("fake").scheduler(time).random(() -> 0.5)
      .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build()).build();
  private final Safe safe = Safe.over(guard);
  private final AtomicInteger attempts = new AtomicInteger();
  private final LogCapture logs = LogCapture.start();

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private Attempt<List<String>> failing(int times, List<String> value) {
    return ctx -> {
      if (attempts.incrementAndGet() <= times) {
        throw KvBackend.connectionReset();
      }
      return value;
    };
  }

  @Test
  void returnsTheFreshValueAfterRetriesUnderTheSafeDefaults() {
    SafeResult<List<String>> offers = safe.get("offers.active", failing(2, List.of("10% off")), List.of());

    assertThat(offers).isEqualTo(SafeResult.fresh(List.of("10% off")));
    assertThat(attempts).hasValue(3);
    assertThat(safe.policy()).isSameAs(ResiliencePolicy.safeDefaults());
    assertThat(logs.safeWarnings()).isEmpty();
  }

  @Test
  void returnsTheDefaultAndTheErrorInsteadOfThrowing() {
    SafeResult<List<String>> offers = safe.get("offers.active", failing(3, List.of("x")), List.of());

    assertThat(offers.value()).isEmpty();
    assertThat(offers.source()).isEqualTo(Source.DEFAULT);
    assertThat(offers.failed()).isTrue();
    assertThat(offers.error()).get().isInstanceOf(TransientException.class);
    assertThat(logs.safeWarnings()).singleElement().asString().contains("offers.active failed; serving the default");
  }

  @Test
  void letsAnUnrecognisedExceptionThroughUnchanged() {
    IllegalStateException bug = new IllegalStateException("bug");

    assertThatThrownBy(() -> safe.get("offers.active", ctx -> {
      attempts.incrementAndGet();
      throw bug;
    }, List.of())).isSameAs(bug);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void runsUnderAnotherPolicyWhenGivenOne() {
    Safe once = safe.withPolicy(ResiliencePolicy.builder().maxAttempts(1).build());

    assertThat(once.get("offers.active", failing(1, List.of()), null).value()).isNull();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void saysWhetherAWriteWasAppliedFailedOrHasAnUnknownOutcome() {
    WriteResult applied = safe.write(Call.idempotentWrite("profile.save"), ctx -> 1);
    WriteResult conflict = safe.write(Call.write("profile.insert"), ctx -> {
      throw new ConflictException("duplicate key", ErrorDetails.of("fake").withCode("23505"), "pk", null);
    });
    attempts.set(0);
    WriteResult lost = safe.write(Call.write("profile.insert"), failing(5, List.of()));

    assertThat(applied).isEqualTo(WriteResult.applied());
    assertThat(conflict.outcome()).isEqualTo(WriteResult.Outcome.FAILED);
    assertThat(conflict.error()).get().isInstanceOf(ConflictException.class);
    assertThat(lost.outcome()).isEqualTo(WriteResult.Outcome.UNKNOWN);
    assertThat(attempts).as("a non-idempotent write is not repeated after an ambiguous failure").hasValue(1);
    assertThat(logs.safeWarnings()).hasSize(2);
  }

  @Test
  void asyncReadsWaitOnTheSchedulerAndFallBackToTheDefault() {
    CompletableFuture<SafeResult<List<String>>> offers =
        safe.getAsync("offers.active", failing(3, List.of("x")), List.of("fallback"));

    assertThat(offers).isNotDone();
    time.runUntilIdle();

    assertThat(offers.join().value()).containsExactly("fallback");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void asyncCallsFailWithAnUnrecognisedExceptionUnchanged() {
    IllegalStateException bug = new IllegalStateException("bug");

    CompletableFuture<SafeResult<String>> read = safe.getAsync("x", ctx -> {
      throw bug;
    }, "d");
    CompletableFuture<WriteResult> write = safe.writeAsync(Call.write("y"), ctx -> 1);
    time.runUntilIdle();

    assertThatThrownBy(read::join).isInstanceOf(CompletionException.class).cause().isSameAs(bug);
    assertThat(write.join().isApplied()).isTrue();
  }

  @Test
  void holdfastHandsOutSafeCallsUnderItsSafePolicy() {
    ResiliencePolicy once = ResiliencePolicy.builder().maxAttempts(1).build();
    try (Holdfast custom = Holdfast.builder(new KvBackend()).scheduler(time).safePolicy(once).build();
        Holdfast plain = Holdfast.builder(new KvBackend()).scheduler(time).build()) {
      assertThat(custom.safe().policy()).isSameAs(once);
      assertThat(plain.safe().policy()).isSameAs(ResiliencePolicy.safeDefaults());
    }
  }

  @Test
  void rejectsNullArguments() {
    assertThatThrownBy(() -> safe.get(null, ctx -> 1, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> safe.get("x", null, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> safe.write(null, ctx -> 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Safe.over(null)).isInstanceOf(NullPointerException.class);
  }
}
