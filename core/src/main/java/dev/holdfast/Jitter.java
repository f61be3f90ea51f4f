package dev.holdfast;

import java.time.Duration;

/**
 * How a backoff delay is randomised so that clients that failed together do not retry together. Immutable and
 * thread-safe.
 */
public sealed interface Jitter {
  /** Applies the jitter to {@code nominal}, given {@code random} uniformly drawn from [0, 1). */
  Duration apply(Duration nominal, double random);

  /** No jitter: the delay is the nominal delay. */
  static Jitter none() {
    return None.INSTANCE;
  }

  /**
   * Full jitter: a delay drawn uniformly from [0, nominal] (the AWS Architecture Blog's "full jitter"), which
   * spreads retries best under contention.
   */
  static Jitter full() {
    return Full.INSTANCE;
  }

  /**
   * Additive jitter: the nominal delay plus up to {@code fraction} of it, so the delay is never shorter than
   * the nominal one.
   *
   * @throws IllegalArgumentException unless 0 &lt;= fraction &lt;= 1
   */
  static Jitter additive(double fraction) {
    return new Additive(fraction);
  }

  /** See {@link Jitter#none()}. */
  enum None implements Jitter {
    INSTANCE;

    @Override
    public Duration apply(Duration nominal, double random) {
      return nominal;
    }
  }

  /** See {@link Jitter#full()}. */
  enum Full implements Jitter {
    INSTANCE;

    @Override
    public Duration apply(Duration nominal, double random) {
      return Duration.ofNanos((long) (nominal.toNanos() * random));
    }
  }

  /**
   * See {@link Jitter#additive(double)}.
   *
   * @param fraction the largest share of the nominal delay that is added
   */
  record Additive(double fraction) implements Jitter {
    public Additive {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("fraction must be in [0, 1]: " + fraction);
      }
    }

    @Override
    public Duration apply(Duration nominal, double random) {
      return nominal.plusNanos((long) (nominal.toNanos() * fraction * random));
    }
  }
}
