package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.internal.LastKnownGoodCache;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LastKnownGoodCacheTest {
  private final ManualScheduler time = new ManualScheduler();
  private final LastKnownGoodCache<String> cache =
      new LastKnownGoodCache<>(LastKnownGood.of(2, Duration.ofSeconds(10)), time);

  @Test
  void evictsTheLeastRecentlyUsedKeyBeyondItsBound() {
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.put("c", "3");

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("c")).isPresent();
  }

  @Test
  void measuresAgeOnTheSchedulerClockAndDropsWhatIsTooOld() {
    cache.put("a", "1");
    time.advance(Duration.ofSeconds(10));

    assertThat(cache.get("a")).get().extracting(LastKnownGoodCache.Hit::age).isEqualTo(Duration.ofSeconds(10));
    time.advance(Duration.ofNanos(1));
    assertThat(cache.get("a")).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void settingsMustBePositive() {
    assertThatThrownBy(() -> LastKnownGood.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LastKnownGood.of(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
