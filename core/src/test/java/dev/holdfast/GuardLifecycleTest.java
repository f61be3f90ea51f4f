package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardLifecycleTest {
  @Test
  void closingAGuardClosesTheSchedulerItCreatedOnce() {
    Guard guard = Guard.builder("test").build();
    assertThat(guard.<String>callAsync(Call.read("find"), ctx -> "ok").join()).isEqualTo("ok");

    guard.close();
    guard.close();

    CompletableFuture<String> after = guard.callAsync(Call.read("find"), ctx -> "ok");
    assertThat(catchThrowable(after::join)).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aSchedulerGivenToTheGuardIsLeftOpen() {
    AtomicInteger closes = new AtomicInteger();
    Scheduler mine = new ForwardingScheduler(new ManualScheduler()) {
      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };

    Guard.builder("test").scheduler(mine).build().close();

    assertThat(closes).hasValue(0);
  }

  @Test
  void theDefaultPolicyIsTheDocumentedOne() {
    Guard guard = Guard.builder("test").scheduler(new ManualScheduler()).build();
    assertThat(guard.policy()).isSameAs(ResiliencePolicy.defaults());
    assertThat(guard.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(guard.retryBudgetTokens()).hasValue(500.0);
    assertThat(guard.backend()).isEqualTo("test");
  }
}
