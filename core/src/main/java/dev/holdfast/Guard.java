package dev.holdfast;

import dev.holdfast.internal.BulkheadGate;
import dev.holdfast.internal.CircuitBreakerGate;
import dev.holdfast.internal.EventDispatcher;
import dev.holdfast.internal.FailureClassifier;
import dev.holdfast.internal.Retries;
import dev.holdfast.internal.RetryBudget;
import dev.holdfast.internal.Sneaky;
import dev.holdfast.spi.ErrorClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls to one backend under a {@link ResiliencePolicy}, and owns that backend's circuit breaker, retry
 * budget and bulkhead, which all calls through this guard share (calls with a {@linkplain Call#withPolicy policy
 * override} too: an override changes attempts, backoff, deadline, attempt timeout and Retry-After handling, and the
 * guard-wide parts always come from the guard's own policy). Thread-safe.
 *
 * <pre>{@code
 * try (Guard guard = Guard.builder("orders-db").policy(ResiliencePolicy.defaults()).build()) {
 *   Invoice invoice = guard.call(Call.read("invoices.findById"), ctx -> dao.findById(id, ctx.timeout()));
 * }
 * }</pre>
 *
 * <p>What a failure means is decided by the guard's {@link ErrorClassifier}s: those given to the builder, then
 * those found on the class path ({@code META-INF/services/dev.holdfast.spi.ErrorClassifier}), then a built-in one
 * for the JDK's network and timeout exceptions. Only {@link TransientException}s are retried, and a non-idempotent
 * {@linkplain Effect#WRITE write} only when the request never left. A failure no classifier recognises is not
 * retried and reaches the caller unchanged, the very object the attempt threw, checked exceptions included (they
 * are rethrown undeclared, so that a DAO proxy can rethrow what its interface declares).
 *
 * <p>Retry decisions and delays come from Failsafe ({@code RetryPolicy}, {@code CircuitBreaker},
 * {@code Bulkhead}); every wait and every time measurement goes through the guard's {@link Scheduler}, so a
 * {@link ManualScheduler} makes the whole engine deterministic in tests. Exceptions the guard makes itself carry
 * codes starting with {@code HF_}: {@code HF_DEADLINE}, {@code HF_TIMEOUT}, {@code HF_CIRCUIT_OPEN},
 * {@code HF_RETRY_BUDGET}, {@code HF_BULKHEAD_FULL}.
 */
public final class Guard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
  private static final int OVERRIDE_CACHE_SIZE = 64;

  private final String backend;
  private final ResiliencePolicy policy;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final EventDispatcher events;
  private final FailureClassifier classifier;
  private final DoubleSupplier random;
  private final Retries retries;
  private final Map<ResiliencePolicy, Retries> overrides = new ConcurrentHashMap<>();
  private final CircuitBreakerGate breaker;
  private final RetryBudget budget;
  private final BulkheadGate bulkhead;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Guard(Builder b) {
    this.backend = b.backend;
    this.policy = b.policy;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system() : b.scheduler;
    this.events = new EventDispatcher(b.listeners);
    List<ErrorClassifier> classifiers = new ArrayList<>(b.classifiers);
    if (b.classifiersFromClassPath) {
      classifiers.addAll(loadClassifiers());
    }
    this.classifier = new FailureClassifier(backend, classifiers);
    this.random = b.random;
    this.retries = new Retries(policy, random);
    this.breaker = policy.circuitBreaker()
        .map(s -> new CircuitBreakerGate(backend, s, scheduler, b.healthCheck, policy.attemptTimeout(), events))
        .orElse(null);
    this.budget = policy.retryBudget().map(RetryBudget::new).orElse(null);
    this.bulkhead = policy.bulkhead().map(BulkheadGate::new).orElse(null);
  }

  /**
   * A builder for a guard of the backend named {@code backend}.
   *
   * @throws NullPointerException if {@code backend} is null
   */
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

  /**
   * The circuit breaker's state; {@link CircuitState#DISABLED} when the policy has none. An open breaker whose
   * delay has passed reports {@link CircuitState#HALF_OPEN}: the next call is a trial.
   */
  public CircuitState circuitState() {
    return breaker == null ? CircuitState.DISABLED : breaker.state();
  }

  /** The retry budget's tokens left, for health and diagnostics; empty when the policy has no budget. */
  public OptionalDouble retryBudgetTokens() {
    return budget == null ? OptionalDouble.empty() : OptionalDouble.of(budget.tokens());
  }

  /**
   * The bulkhead's permits taken now (attempts in flight), for metrics and diagnostics; empty when the policy has
   * no bulkhead.
   */
  public OptionalInt bulkheadPermitsInUse() {
    return bulkhead == null ? OptionalInt.empty() : OptionalInt.of(bulkhead.inUse());
  }

  /** The bulkhead's most permits ({@link BulkheadSettings#maxConcurrentCalls()}); empty without a bulkhead. */
  public OptionalInt bulkheadMaxPermits() {
    return bulkhead == null ? OptionalInt.empty() : OptionalInt.of(bulkhead.maxConcurrentCalls());
  }

  /**
   * Runs {@code attempt} under the policy on the caller's thread, waiting between attempts with {@link
   * Scheduler#sleep(Duration)}. A bulkhead with a {@code maxWait} blocks this thread, in real time, for a place.
   * The attempt itself is not interrupted from outside: it must apply {@link CallContext#timeout()} to the request
   * it sends (a statement timeout, an HTTP call timeout), as backends do.
   *
   * <p>If the thread is interrupted while waiting before a retry, its interrupt flag is restored and the call ends
   * with the last attempt's {@link TransientException}, the {@link InterruptedException} attached as suppressed.
   *
   * @return what the successful attempt returned
   * @throws HoldfastException when the call fails for good (a subtype saying why), or whatever unrecognised
   *     failure the attempt threw, unchanged
   * @throws NullPointerException if {@code call} or {@code attempt} is null
   */
  public <T> T call(Call call, Attempt<T> attempt) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(attempt, "attempt");
    long now = scheduler.nanoTime();
    CallRun run = new CallRun(this, call, retriesFor(call), now);
    while (true) {
      HoldfastException rejected = run.admit(true);
      if (rejected != null) {
        throw rejected;
      }
      if (bulkhead != null) {
        // Waiting for a place took time the deadline counts.
        now = scheduler.nanoTime();
      }
      T result;
      CallContext context = run.nextAttempt(now);
      GuardListener.Scope scope = run.attemptScope();
      try {
        result = attempt.run(context);
      } catch (Throwable failure) {
        scope.close();
        releaseBulkhead();
        Duration delay = run.failed(failure, scheduler.nanoTime());
        if (delay == null) {
          if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          throw Sneaky.rethrow(run.outcome());
        }
        try {
          scheduler.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw run.interrupted(e);
        }
        now = scheduler.nanoTime();
        continue;
      }
      scope.close();
      releaseBulkhead();
      run.succeeded();
      return result;
    }
  }

  /**
   * Runs {@code attempt} under the policy on the scheduler's threads: attempts are tasks, and backoff waits, the
   * deadline and attempt timeouts are timers, so neither the caller nor a worker ever blocks to wait. When the
   * deadline passes the future fails with {@link DeadlineExceededException} (for a non-idempotent write whose
   * attempt is in flight, {@link UnknownOutcomeException}) even if the attempt hangs; an attempt that outlives its
   * timeout fails as a {@link TransientException} with code {@code HF_TIMEOUT} and its thread is interrupted.
   * Cancelling the future stops retries and interrupts a running attempt. A bulkhead never waits here: a call that
   * finds it full fails at once.
   *
   * @return a future of what the successful attempt returned, failing as {@link #call} would throw
   * @throws NullPointerException if {@code call} or {@code attempt} is null
   */
  public <T> CompletableFuture<T> callAsync(Call call, Attempt<T> attempt) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(attempt, "attempt");
    CallRun run = new CallRun(this, call, retriesFor(call), scheduler.nanoTime());
    return new AsyncCall<>(this, run, attempt).start();
  }

  /** Stops the breaker's probe and releases the scheduler if the guard created it. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (breaker != null) {
        breaker.close();
      }
      if (ownsScheduler) {
        scheduler.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Guard{backend=" + backend + ", circuit=" + circuitState() + ", policy=" + policy + "}";
  }

  private Retries retriesFor(Call call) {
    ResiliencePolicy override = call.policy();
    if (override == null || override == policy) {
      return retries;
    }
    Retries r = overrides.get(override);
    if (r == null) {
      // Bounded, so that code making a new policy per call cannot grow it without limit.
      if (overrides.size() >= OVERRIDE_CACHE_SIZE) {
        overrides.clear();
      }
      r = overrides.computeIfAbsent(override, p -> new Retries(p, random));
    }
    return r;
  }

  CircuitBreakerGate breaker() {
    return breaker;
  }

  RetryBudget budget() {
    return budget;
  }

  BulkheadGate bulkhead() {
    return bulkhead;
  }

  FailureClassifier classifier() {
    return classifier;
  }

  void releaseBulkhead() {
    if (bulkhead != null) {
      bulkhead.release();
    }
  }

  EventDispatcher events() {
    return events;
  }

  /** Whether anyone listens for call and safe-result events; nothing need be built for them otherwise. */
  boolean observed() {
    return events.active();
  }

  void emit(GuardEvent event) {
    events.accept(event);
  }

  private static List<ErrorClassifier> loadClassifiers() {
    List<ErrorClassifier> found = new ArrayList<>();
    Iterator<ErrorClassifier> it = ServiceLoader.load(ErrorClassifier.class, Guard.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return found;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        // One broken provider on the class path must not take the others (or the application) down.
        LOG.warn("skipping an error classifier that could not be loaded", e);
      }
    }
  }

  /** Builds a {@link Guard}. Not thread-safe. */
  public static final class Builder {
    private final String backend;
    private ResiliencePolicy policy = ResiliencePolicy.defaults();
    private Scheduler scheduler;
    private final List<GuardListener> listeners = new ArrayList<>(List.of(GuardListener.logging()));
    private final List<ErrorClassifier> classifiers = new ArrayList<>();
    private boolean classifiersFromClassPath = true;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private HealthCheck healthCheck;

    private Builder(String backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The default policy; default {@link ResiliencePolicy#defaults()}. Its circuit breaker, retry budget and
     * bulkhead settings make the guard-wide ones.
     *
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder policy(ResiliencePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The scheduler for waits and timeouts. Default: a {@link Scheduler#system()} scheduler that the guard creates
     * and closes. A scheduler given here is not closed by the guard.
     *
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Adds a listener for the guard's events (a logging listener is always installed, first).
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(GuardListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds a classifier, consulted in the order added and before the ones found on the class path.
     *
     * @throws NullPointerException if {@code classifier} is null
     */
    public Builder classifier(ErrorClassifier classifier) {
      this.classifiers.add(Objects.requireNonNull(classifier, "classifier"));
      return this;
    }

    /**
     * Whether to also consult the classifiers listed in {@code META-INF/services/dev.holdfast.spi.ErrorClassifier}
     * on the class path (loaded once, at {@link #build()}); default true.
     */
    public Builder classifiersFromClassPath(boolean enabled) {
      this.classifiersFromClassPath = enabled;
      return this;
    }

    /**
     * The health check an open circuit breaker runs every {@link CircuitBreakerSettings#probeInterval()} on the
     * scheduler (each bounded by the policy's attempt timeout), to let trial calls through as soon as the backend
     * answers; default none, so only trial calls end the open state. {@link Holdfast} gives its backend's.
     *
     * @throws NullPointerException if {@code healthCheck} is null
     */
    public Builder healthCheck(HealthCheck healthCheck) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /**
     * The source of jitter, uniform in [0, 1); for tests.
     *
     * @throws NullPointerException if {@code random} is null
     */
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
