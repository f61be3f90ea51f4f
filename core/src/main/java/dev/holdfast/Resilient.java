package dev.holdfast;

import dev.holdfast.internal.DaoProxy;
import java.util.Objects;

/**
 * Wraps an existing DAO so that each of its interface methods runs under a {@link ResiliencePolicy}, as the
 * annotations on the interface say. Nothing in the DAO changes; a JDBC DAO gets SQLSTATE-aware retries from
 * holdfast-jdbc's {@link dev.holdfast.spi.ErrorClassifier}, found on the class path.
 *
 * <pre>{@code
 * interface InvoiceDao {
 *   Optional<Invoice> findById(long id);                    // a read: retried
 *   @DefaultOnFailure List<Invoice> recent(int limit);       // empty list when the database stays down
 *   @Idempotent @Attempts(5) void upsert(Invoice invoice);   // safe to repeat
 *   @Timeout("2s") long insert(Invoice invoice);             // not repeated after an ambiguous failure
 *   @Fallback("cachedTotals") CompletableFuture<Totals> totals();
 *   default CompletableFuture<Totals> cachedTotals(HoldfastException e) { ... }
 * }
 * InvoiceDao invoices = Resilient.wrap(InvoiceDao.class, new JdbcInvoiceDao(dataSource), ResiliencePolicy.defaults());
 * }</pre>
 *
 * <ul>
 *   <li><b>Reads and writes.</b> {@link Idempotent} marks what may be repeated. Without it a method named like a
 *       read ({@code get}, {@code find}, {@code list}, {@code count}, {@code exists}, {@code load}, {@code read},
 *       {@code search}, {@code select}, {@code is}, {@code has}) is a read and any other method a non-idempotent
 *       write, the safe default: it is retried only when the failure proves the request never arrived.</li>
 *   <li><b>Bounds.</b> {@link Attempts} and {@link Timeout} replace the policy's attempts and attempt timeout for a
 *       method (or, on the interface, for all). A {@code @Timeout} holds even when the DAO ignores timeouts: see
 *       there for how.</li>
 *   <li><b>Instead of failing.</b> {@link Fallback} names a method to call, {@link DefaultOnFailure} returns an
 *       empty Optional or collection; either is logged once at WARN.</li>
 *   <li><b>Futures.</b> A method returning {@code CompletableFuture} or {@code CompletionStage} runs through
 *       {@link Guard#callAsync}: each attempt calls the DAO again, backoff waits are scheduler timers, and the
 *       proxy returns a {@code CompletableFuture} at once. While an attempt's future is pending a scheduler thread
 *       waits for it (the guard runs attempts as tasks), for at most the attempt timeout.</li>
 *   <li><b>Exceptions.</b> Whatever the DAO throws goes to the guard's classifiers, checked exceptions the method
 *       declares included. A failure they recognise is retried when it is transient and ends, when retries run
 *       out, in the {@link HoldfastException} it was classified as (an unchecked exception, with the DAO's
 *       exception as its cause): a JDBC DAO's declared {@code SQLException} is classified by holdfast-jdbc's
 *       SQLSTATE-aware classifier, so a serialization failure or a dropped connection is retried and a duplicate
 *       key reaches the caller as a {@link ConflictException}, not as the {@code SQLException}. A failure no
 *       classifier recognises (a bug, or a checked exception of the application's own) is not retried and
 *       reaches the caller exactly as the DAO threw it.</li>
 *   <li><b>The rest.</b> Default methods run as written, their calls to other methods guarded one by one; {@code
 *       equals} and {@code hashCode} are identity; {@code toString} names the interface and target class.</li>
 * </ul>
 *
 * <p>Every annotation is checked by {@code wrap}, which throws {@link IllegalArgumentException} naming the method.
 * The proxy is thread-safe if the target is.
 */
public final class Resilient {
  private Resilient() {}

  /**
   * {@code target} behind a proxy of {@code type} whose calls run under {@code policy}, on a guard of their own
   * (named after the interface, with the class path's classifiers) that uses a scheduler of daemon threads shared
   * by all such proxies. For a scheduler, listeners or classifiers of your choosing, or to share a circuit
   * breaker with other calls, use {@link #wrap(Class, Object, Guard)}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is not an interface or an annotation on it is wrong
   */
  public static <D> D wrap(Class<D> type, D target, ResiliencePolicy policy) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(policy, "policy");
    Guard guard = Guard.builder(type.getSimpleName()).policy(policy).scheduler(SharedScheduler.INSTANCE).build();
    return DaoProxy.wrap(type, target, guard);
  }

  /**
   * {@code target} behind a proxy of {@code type} whose calls run on {@code guard}, under its policy as the
   * annotations adjust it, sharing its circuit breaker, retry budget and bulkhead.
   *
   * <pre>{@code
   * OrderDao orders = Resilient.wrap(OrderDao.class, jdbcOrderDao, db.guard());
   * }</pre>
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code type} is not an interface or an annotation on it is wrong
   */
  public static <D> D wrap(Class<D> type, D target, Guard guard) {
    return DaoProxy.wrap(type, target, guard);
  }

  /** Created on first use, so that only programs that wrap with a bare policy start its daemon threads. */
  private static final class SharedScheduler {
    static final Scheduler INSTANCE = Scheduler.system();
  }
}
