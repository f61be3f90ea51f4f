package dev.holdfast.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasureTest {
  @Test
  void percentilesUseTheNearestRank() {
    Measure.Latencies l = new Measure.Latencies(100);
    for (int i = 100; i >= 1; i--) {
      l.add(i * 1_000L);
    }
    assertThat(l.percentileMicros(50)).isEqualTo(50.0);
    assertThat(l.percentileMicros(95)).isEqualTo(95.0);
    assertThat(l.percentileMicros(99)).isEqualTo(99.0);
    assertThat(l.percentileMicros(100)).isEqualTo(100.0);
    assertThat(l.meanMicros()).isEqualTo(50.5);
  }

  @Test
  void interleavedLatenciesRunEachSideTheGivenNumberOfTimes() throws Exception {
    int[] calls = new int[2];
    Measure.Latencies[] l = Measure.interleavedLatencies(i -> calls[0]++, i -> calls[1]++, 7);
    assertThat(calls).containsExactly(7, 7);
    assertThat(l[0].sorted()).hasSize(7);
    assertThat(l[1].sorted()).hasSize(7);
  }

  @Test
  void aFailingOperationFailsTheThroughputRunInsteadOfBeingCounted() {
    assertThatThrownBy(() -> Measure.throughput(i -> {
      throw new IllegalStateException("boom");
    }, 2, Duration.ofMillis(50))).hasRootCauseMessage("boom");
  }

  @Test
  void durationsTakeSecondsMinutesOrHours() {
    assertThat(Main.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Main.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Main.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Main.parseDuration("10d")).isInstanceOf(IllegalArgumentException.class);
  }
}
