package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.OrderDao.DaoException;
import dev.holdfast.OrderDao.FlakyException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilientTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Guard guard = Guard.builder("orders-db").scheduler(time).random(() -> 0.5)
      .policy(ResiliencePolicy.builder().withoutCircuitBreaker().withoutRetryBudget().build())
      .classifier((failure, backend) -> failure instanceof FlakyException f
          ? Optional.of(new TransientException(f.getMessage(), ErrorDetails.of(backend), f, f.sent, null))
          : Optional.empty())
      .build();
  private final FakeOrderDao target = new FakeOrderDao();
  private final OrderDao dao = Resilient.wrap(OrderDao.class, target, guard);
  private final LogCapture logs = LogCapture.start();

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private static FlakyException reset() {
    return new FlakyException(true);
  }

  private static FlakyException refused() {
    return new FlakyException(false);
  }

  @Test
  void retriesAReadThatFailsTransiently() {
    target.failNext(2, ResilientTest::reset);

    assertThat(dao.findById(7)).contains("order-7");
    assertThat(target.calls("findById")).isEqualTo(3);
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void doesNotRepeatANonIdempotentWriteAfterAnAmbiguousFailure() {
    target.failNext(1, ResilientTest::reset);

    assertThatThrownBy(() -> dao.insert("o")).isInstanceOf(UnknownOutcomeException.class);
    assertThat(target.calls("insert")).isEqualTo(1);
  }

  @Test
  void repeatsANonIdempotentWriteWhoseRequestNeverLeft() {
    target.failNext(1, ResilientTest::refused);

    assertThat(dao.insert("o")).isEqualTo(42);
    assertThat(target.calls("insert")).isEqualTo(2);
  }

  @Test
  void repeatsAnIdempotentWriteAfterAnAmbiguousFailure() {
    target.failNext(2, ResilientTest::reset);

    dao.upsert("o");

    assertThat(target.calls("upsert")).isEqualTo(3);
  }

  @Test
  void idempotentFalseOverridesAReadLikeName() {
    target.failNext(1, ResilientTest::reset);

    assertThatThrownBy(dao::getAndIncrement).isInstanceOf(UnknownOutcomeException.class);
    assertThat(target.calls("getAndIncrement")).isEqualTo(1);
  }

  @Test
  void attemptsReplacesThePolicysAttempts() {
    target.failNext(10, ResilientTest::reset);

    assertThatThrownBy(dao::listRecent).isInstanceOfSatisfying(TransientException.class,
        e -> assertThat(e.attempts()).isEqualTo(5));
    assertThat(target.calls("listRecent")).isEqualTo(5);
  }

  @Test
  void boundsAnAttemptByItsTimeoutOnTheSchedulerClockEvenWhenTheDaoIgnoresIt() {
    target.onSlow = () -> time.advance(Duration.ofSeconds(3));

    // slow() is a write by its name, and a write that timed out may have been applied.
    assertThatThrownBy(dao::slow).isInstanceOf(UnknownOutcomeException.class)
        .hasMessageContaining("timed out after 2000 ms");
    assertThat(target.calls("slow")).isEqualTo(1);
  }

  @Test
  void anAttemptWithinItsTimeoutReturnsNormally() {
    target.onSlow = () -> time.advance(Duration.ofMillis(1999));

    assertThat(dao.slow()).isEqualTo("finally");
  }

  @Test
  void returnsAnEmptyOptionalOrListWhenTheCallFailsForGood() {
    target.failNext(6, ResilientTest::reset);

    assertThat(dao.findCached(1)).isEmpty();
    assertThat(dao.listAll()).isEmpty();
    assertThat(logs.safeWarnings()).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("returning an empty result", "attempts=3"));
  }

  @Test
  void callsTheFallbackDefaultMethodWithTheArgumentsAndTheFailure() {
    target.failNext(3, ResilientTest::reset);

    assertThat(dao.getStatus("eu")).isEqualTo("offline:eu after 3");
    assertThat(logs.safeWarnings()).singleElement().asString()
        .contains("OrderDao.getStatus failed; returning the fallback OrderDao.offline(String, HoldfastException)");
  }

  @Test
  void callsAFallbackThatTheTargetDeclares() {
    target.failNext(3, ResilientTest::reset);

    assertThat(dao.label(5)).isEqualTo("cached-label-5");
  }

  @Test
  void runsFutureReturningMethodsAgainOnEachAttempt() {
    target.failNext(2, ResilientTest::reset);

    CompletableFuture<String> found = dao.findAsync(3);
    time.runUntilIdle();

    assertThat(found.join()).isEqualTo("async-3");
    assertThat(target.calls("findAsync")).isEqualTo(3);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void completesAFailedFutureMethodWithItsEmptyDefault() {
    target.failNext(3, ResilientTest::reset);

    CompletableFuture<List<String>> all = dao.listAsync();
    time.runUntilIdle();

    assertThat(all.join()).isEmpty();
    assertThat(target.calls("listAsync")).isEqualTo(3);
  }

  @Test
  void runsDefaultMethodsAsWrittenWithTheirCallsGuarded() {
    target.failNext(1, ResilientTest::reset);

    assertThat(dao.describe(9)).isEqualTo("order-9");
    assertThat(target.calls("findById")).isEqualTo(2);
  }

  @Test
  void letsAnUnrecognisedExceptionThroughUnchangedWithoutRetrying() {
    IllegalStateException bug = new IllegalStateException("bug");
    target.failNext(1, () -> bug);

    assertThatThrownBy(() -> dao.findById(1)).isSameAs(bug);
    assertThat(target.calls("findById")).isEqualTo(1);
  }

  @Test
  void letsADeclaredCheckedExceptionThroughAsDeclared() {
    DaoException checked = new DaoException("no such order");
    target.failNext(1, () -> checked);

    assertThatThrownBy(() -> dao.load("x")).isSameAs(checked);
    assertThat(target.calls("load")).isEqualTo(1);
  }

  @Test
  void throwsTheHoldfastExceptionWhenRetriesRunOutWithoutAFallback() {
    target.failNext(3, ResilientTest::reset);

    assertThatThrownBy(() -> dao.findById(1)).isInstanceOf(TransientException.class)
        .hasCauseInstanceOf(FlakyException.class);
  }

  @Test
  void equalsAndHashCodeAreTheProxysIdentityAndToStringShowsNoSecrets() {
    OrderDao other = Resilient.wrap(OrderDao.class, target, guard);

    assertThat(dao).isEqualTo(dao).isNotEqualTo(other).isNotEqualTo(target);
    assertThat(dao.hashCode()).isEqualTo(System.identityHashCode(dao));
    assertThat(dao.toString()).contains("OrderDao", "FakeOrderDao", "orders-db").doesNotContain("hunter2");
    assertThat(target.calls("findById")).isZero();
  }

  @Test
  void retriesACheckedExceptionThatAClassifierRecognises() throws Exception {
    target.failNext(1, () -> new java.net.ConnectException("refused"));

    assertThat(dao.fetch("a")).isEqualTo("fetched-a");
    assertThat(target.calls("fetch")).isEqualTo(2);
  }

  @Test
  void wrapsWithABarePolicyUsingTheClassifiersOnTheClassPath() {
    // No backoff, so that the shared system scheduler never waits in real time.
    ResiliencePolicy noWait = ResiliencePolicy.builder().backoff(Backoff.fixed(Duration.ZERO)).build();
    OrderDao plain = Resilient.wrap(OrderDao.class, target, noWait);
    target.failNext(1, ClassPathTestClassifier.Marker::new);

    assertThat(plain.findById(1)).contains("order-1");
    assertThat(target.calls("findById")).isEqualTo(2);
    assertThat(plain.toString()).contains("backend=OrderDao");
  }
}
