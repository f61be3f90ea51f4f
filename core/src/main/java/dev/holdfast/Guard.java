package dev.holdfast;

import dev.holdfast.spi.ErrorClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Runs calls to one backend under a {@link ResiliencePolicy}, and owns that backend's circuit breaker, retry
 * budget and bulkhead, which all calls through this guard share. Thread-safe.
 *
 * <pre>{@code
 * try (Guard guard = Guard.builder("orders-db").policy(ResiliencePolicy.defaults()).build()) {
 *   Order order = guard.call(Call.read("orders.find"), ctx -> dao.find(id));
 * }
 * }</pre>
 *
 * <p>Failures are classified by the guard's {@link ErrorClassifier}s into holdfast's taxonomy; a failure no
 * classifier recognises is not retried and reaches the caller unchanged.
 */
public final class Guard implements AutoCloseable {
  private final String backend;
  private final ResiliencePolicy policy;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final List<GuardListener> listeners;
  private final List<ErrorClassifier> classifiers;
  private final DoubleSupplier random;

  private Guard(Builder b) {
    this.backend = b.backend;
    this.policy = b.policy;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system() : b.scheduler;
    this.listeners = List.copyOf(b.listeners);
    this.classifiers = List.copyOf(b.classifiers);
    this.random = b.random;
  }

  /** A builder for a guard of the backend named {@code backend}. */
  public static Builder builder(String backend) {
    return new Builder(backend);
  }

  /** The backend's name. */
  public String backend() {
    return backend;
  }

  /** The guard's default policy. */
  public ResiliencePolicy policy() {
    return policy;
  }

  /** The guard's scheduler. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The circuit breaker's state. */
  public CircuitState circuitState() {
    return CircuitState.DISABLED;
  }

  /**
   * Runs {@code attempt} under the policy on the caller's thread, waiting between attempts.
   *
   * @throws HoldfastException when the call fails for good (a subtype saying why)
   */
  public <T> T call(Call call, Attempt<T> attempt) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(attempt, "attempt");
    ResiliencePolicy p = call.policyOverride().orElse(policy);
    try {
      return attempt.run(new CallContext(call.operation(), 1, p.attemptTimeout()));
    } catch (Exception e) {
      throw classify(e);
    }
  }

  /** Runs {@code attempt} under the policy on the scheduler's threads; waits never block the caller. */
  public <T> CompletableFuture<T> callAsync(Call call, Attempt<T> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    scheduler.schedule(java.time.Duration.ZERO, () -> {
      try {
        result.complete(call(call, attempt));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result;
  }

  private RuntimeException classify(Exception e) {
    if (e instanceof HoldfastException h) {
      return h;
    }
    for (ErrorClassifier c : classifiers) {
      var classified = c.classify(e, backend);
      if (classified.isPresent()) {
        return classified.get();
      }
    }
    return e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
  }

  /** Releases the scheduler if the guard created it. Idempotent. */
  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.close();
    }
  }

  /** Builds a {@link Guard}. Not thread-safe. */
  public static final class Builder {
    private final String backend;
    private ResiliencePolicy policy = ResiliencePolicy.defaults();
    private Scheduler scheduler;
    private final List<GuardListener> listeners = new ArrayList<>(List.of(GuardListener.logging()));
    private final List<ErrorClassifier> classifiers = new ArrayList<>();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(String backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The default policy; default {@link ResiliencePolicy#defaults()}. */
    public Builder policy(ResiliencePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The scheduler for waits and timeouts. Default: a {@link Scheduler#system()} scheduler that the guard creates
     * and closes. A scheduler given here is not closed by the guard.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Adds a listener for the guard's events (a logging listener is always installed). */
    public Builder listener(GuardListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds a classifier, consulted before the ones found on the class path. */
    public Builder classifier(ErrorClassifier classifier) {
      this.classifiers.add(Objects.requireNonNull(classifier, "classifier"));
      return this;
    }

    /** The source of jitter, uniform in [0, 1); for tests. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The guard. */
    public Guard build() {
      return new Guard(this);
    }
  }
}
