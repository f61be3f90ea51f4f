package dev.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.RetryBudgetSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void startsFullAndAllowsRetries() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.defaults());
    assertThat(budget.tokens()).isEqualTo(10.0);
    assertThat(budget.allowsRetry()).isTrue();
  }

  @Test
  void eachFailureTakesATokenAndRetriesStopAtHalf() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.defaults());
    for (int i = 0; i < 4; i++) {
      budget.onFailure();
    }
    assertThat(budget.tokens()).isEqualTo(6.0);
    assertThat(budget.allowsRetry()).isTrue();
    budget.onFailure();
    assertThat(budget.tokens()).isEqualTo(5.0);
    assertThat(budget.allowsRetry()).isFalse();
  }

  @Test
  void neverGoesBelowZeroNorAboveTheMaximum() {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(2, 0.5));
    for (int i = 0; i < 5; i++) {
      budget.onFailure();
    }
    assertThat(budget.tokens()).isZero();
    for (int i = 0; i < 10; i++) {
      budget.onSuccess();
    }
    assertThat(budget.tokens()).isEqualTo(2.0);
  }

  @Test
  void successesRefillItUntilRetriesResume() {
    RetryBudget budget = new RetryBudget(RetryBudgetSettings.defaults());
    for (int i = 0; i < 10; i++) {
      budget.onFailure();
    }
    int successes = 0;
    while (!budget.allowsRetry()) {
      budget.onSuccess();
      successes++;
    }
    // From 0 tokens, 0.1 per success: the 51st success takes the bucket above half (5).
    assertThat(successes).isEqualTo(51);
  }

  @Test
  void concurrentUpdatesAreNeverLost() throws Exception {
    RetryBudget budget = new RetryBudget(new RetryBudgetSettings(1000, 0.5));
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 100; i++) {
          budget.onFailure();
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(budget.tokens()).isEqualTo(200.0);
  }
}
