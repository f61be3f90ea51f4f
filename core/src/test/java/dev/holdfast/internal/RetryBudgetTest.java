package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.ErrorDetails;
import dev.holdfast.RetryBudgetSettings;
import dev.holdfast.TransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static TransientException failure(String code) {
    return new TransientException("down", ErrorDetails.of("test").withCode(code), null);
  }

  private static final TransientException DROPPED = failure("08006");
  private static final TransientException TIMED_OUT = failure("HF_TIMEOUT");
  private static final TransientException STATEMENT_TIMEOUT = failure("57014");

  @Test
  void theDefaultsAreTheAwsSdksRetryQuota() {
    assertThat(RetryBudgetSettings.defaults()).isEqualTo(new RetryBudgetSettings(500, 5, 10, 1));
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.defaults());
    assertThat(budget.tokens()).isEqualTo(500);
    assertThat(budget.costOf(DROPPED)).isEqualTo(5);
    assertThat(budget.costOf(TIMED_OUT)).isEqualTo(10);
    assertThat(budget.costOf(STATEMENT_TIMEOUT)).isEqualTo(10);
  }

  @Test
  void aRetryTakesItsCostAndIsRefusedWhenTheBucketCannotPay() {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(12, 5, 10, 1));
    assertThat(budget.tryAcquire(DROPPED)).isEqualTo(5);
    assertThat(budget.tryAcquire(DROPPED)).isEqualTo(5);
    assertThat(budget.tokens()).isEqualTo(2);
    assertThat(budget.tryAcquire(DROPPED)).isZero();
    assertThat(budget.tokens()).as("a refused retry takes nothing").isEqualTo(2);
  }

  @Test
  void aSuccessRefundsItsLastRetryOrAddsTheNoRetryIncrementUpToTheMaximum() {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(20, 5, 10, 1));
    int cost = budget.tryAcquire(TIMED_OUT);
    assertThat(budget.tokens()).isEqualTo(10);
    budget.onSuccess(cost);
    assertThat(budget.tokens()).isEqualTo(20);
    budget.tryAcquire(DROPPED);
    budget.onSuccess(0);
    assertThat(budget.tokens()).isEqualTo(16);
    for (int i = 0; i < 10; i++) {
      budget.onSuccess(0);
    }
    assertThat(budget.tokens()).isEqualTo(20);
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new RetryBudgetSettings(0, 5, 10, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> new RetryBudgetSettings(10, 0, 10, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBudgetSettings(10, 5, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBudgetSettings(10, 5, 10, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentRetriesNeverTakeMoreThanTheBucketHolds() throws Exception {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(1000, 5, 10, 1));
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    int[] granted = new int[8];
    for (int t = 0; t < 8; t++) {
      int me = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 100; i++) {
          granted[me] += budget.tryAcquire(DROPPED) > 0 ? 1 : 0;
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    int total = 0;
    for (int g : granted) {
      total += g;
    }
    assertThat(total).isEqualTo(200);
    assertThat(budget.tokens()).isZero();
  }
}
