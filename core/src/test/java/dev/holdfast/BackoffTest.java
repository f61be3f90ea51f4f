package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Backoff EXPONENTIAL = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void nominalDelaysDoubleUpToTheCap() {
    assertThat(IntStream.rangeClosed(1, 7).mapToObj(EXPONENTIAL::nominalDelay)).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
        Duration.ofMillis(1600), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void fullJitterScalesTheNominalDelayByTheRandomDraw() {
    assertThat(IntStream.rangeClosed(1, 4).mapToObj(n -> EXPONENTIAL.delay(n, 0.5))).containsExactly(
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void fullJitterStaysWithinZeroAndTheNominalDelay() {
    for (int retry = 1; retry <= 8; retry++) {
      Duration nominal = EXPONENTIAL.nominalDelay(retry);
      assertThat(EXPONENTIAL.delay(retry, 0.0)).isEqualTo(Duration.ZERO);
      assertThat(EXPONENTIAL.delay(retry, Math.nextDown(1.0))).isLessThanOrEqualTo(nominal)
          .isGreaterThan(nominal.multipliedBy(99).dividedBy(100));
    }
  }

  @Test
  void additiveJitterAddsUpToItsFractionOfTheNominalDelay() {
    Backoff safe = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, Jitter.additive(0.25));
    assertThat(IntStream.rangeClosed(1, 4).mapToObj(n -> safe.delay(n, 0.0))).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(400));
    assertThat(IntStream.rangeClosed(1, 4).mapToObj(n -> safe.delay(n, 0.5))).containsExactly(
        Duration.ofMillis(112).plusNanos(500_000), Duration.ofMillis(225), Duration.ofMillis(450),
        Duration.ofMillis(450));
    for (int retry = 1; retry <= 6; retry++) {
      Duration nominal = safe.nominalDelay(retry);
      assertThat(safe.delay(retry, Math.nextDown(1.0))).isGreaterThanOrEqualTo(nominal)
          .isLessThanOrEqualTo(nominal.plus(nominal.dividedBy(4)));
    }
  }

  @Test
  void fixedBackoffNeverVaries() {
    Backoff fixed = Backoff.fixed(Duration.ofMillis(300));
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(n -> fixed.delay(n, 0.9))).containsOnly(Duration.ofMillis(300));
  }

  @Test
  void aCustomMultiplierGrowsTheDelayByIt() {
    Backoff triple = EXPONENTIAL.withMultiplier(3).withJitter(Jitter.none());
    assertThat(IntStream.rangeClosed(1, 4).mapToObj(n -> triple.delay(n, 0.3))).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(900), Duration.ofSeconds(2));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, Jitter.full()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EXPONENTIAL.withMultiplier(0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EXPONENTIAL.nominalDelay(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jitter.additive(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
