package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResilientValidationTest {
  private final ResiliencePolicy policy = ResiliencePolicy.defaults();

  interface MissingFallback {
    @Fallback("nowhere")
    String status(String region);
  }

  interface FallbackOfAnotherShape {
    @Fallback("other")
    String status(String region);

    default String other(long region) {
      return "";
    }
  }

  interface EmptyDefaultOnAString {
    @DefaultOnFailure
    String name(long id);
  }

  interface BothRecoveries {
    @DefaultOnFailure
    @Fallback("none")
    Optional<String> find(long id);

    default Optional<String> none(long id) {
      return Optional.empty();
    }
  }

  interface BadTimeout {
    @Timeout("soon")
    String load(long id);
  }

  interface NoAttempts {
    @Attempts(0)
    String load(long id);
  }

  static final class Impl implements MissingFallback, FallbackOfAnotherShape, EmptyDefaultOnAString, BothRecoveries,
      BadTimeout, NoAttempts {
    @Override
    public String status(String region) {
      return region;
    }

    @Override
    public String name(long id) {
      return "";
    }

    @Override
    public Optional<String> find(long id) {
      return Optional.empty();
    }

    @Override
    public String load(long id) {
      return "";
    }
  }

  private static final Impl IMPL = new Impl();

  interface Hidden {
    @Fallback("spare")
    String name(long id);

    default String spare(long id) {
      return "spare-" + id;
    }

    default String twice(long id) {
      return name(id) + name(id);
    }
  }

  @Test
  void wrapsAPackagePrivateInterfaceWithDefaultMethods() {
    Guard guard = Guard.builder("db").scheduler(new ManualScheduler()).build();
    Hidden failing = Resilient.wrap(Hidden.class, id -> {
      throw new InvalidRequestException("no", ErrorDetails.of("db"), null);
    }, guard);

    assertThat(failing.twice(4)).isEqualTo("spare-4spare-4");
  }

  @Test
  void rejectsAFallbackThatDoesNotExistNamingTheMethod() {
    assertThatThrownBy(() -> Resilient.wrap(MissingFallback.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Fallback(\"nowhere\") on MissingFallback.status(String)")
        .hasMessageContaining("nowhere(String, HoldfastException)");
    assertThatThrownBy(() -> Resilient.wrap(FallbackOfAnotherShape.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status(String)");
  }

  @Test
  void rejectsAnEmptyDefaultForATypeWithoutAnEmptyValue() {
    assertThatThrownBy(() -> Resilient.wrap(EmptyDefaultOnAString.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EmptyDefaultOnAString.name(long)");
  }

  @Test
  void rejectsTwoWaysOfRecovering() {
    assertThatThrownBy(() -> Resilient.wrap(BothRecoveries.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both @Fallback and @DefaultOnFailure");
  }

  @Test
  void rejectsBadTimeoutsAndAttempts() {
    assertThatThrownBy(() -> Resilient.wrap(BadTimeout.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Timeout(\"soon\") on BadTimeout.load");
    assertThatThrownBy(() -> Resilient.wrap(NoAttempts.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Attempts(0) on NoAttempts.load");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void rejectsAClassOrATargetOfAnotherType() {
    assertThatThrownBy(() -> Resilient.wrap(Impl.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
    assertThatThrownBy(() -> Resilient.wrap((Class) Runnable.class, IMPL, policy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not implement");
    assertThatThrownBy(() -> Resilient.wrap(NoAttempts.class, null, policy)).isInstanceOf(NullPointerException.class);
  }
}
