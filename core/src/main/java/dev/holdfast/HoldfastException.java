package dev.holdfast;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of holdfast's error taxonomy: every data-access failure from every backend is one of its subtypes,
 * and the subtype tells the caller what to do.
 *
 * <table>
 *   <caption>Subtypes</caption>
 *   <tr><th>Type</th><th>Meaning</th></tr>
 *   <tr><td>{@link TransientException}</td><td>try again later: holdfast already retried within the policy;
 *       the four "try again later" outcomes below marked (transient) are its subtypes</td></tr>
 *   <tr><td>{@link UnknownOutcomeException}</td><td>a write may or may not have happened</td></tr>
 *   <tr><td>{@link ConflictException}</td><td>duplicate key or other constraint, with the constraint's name</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>the row that had to exist does not</td></tr>
 *   <tr><td>{@link SchemaMismatchException}</td><td>a table or column is missing, or a schema cache is stale</td></tr>
 *   <tr><td>{@link ConfigurationException}</td><td>credentials, tenant, host, TLS or pooler settings are wrong</td></tr>
 *   <tr><td>{@link InvalidRequestException}</td><td>the request itself is wrong (bad identifier, bad value)</td></tr>
 *   <tr><td>{@link DeadlineExceededException}</td><td>(transient) the call's overall deadline ran out</td></tr>
 *   <tr><td>{@link CircuitOpenException}</td><td>(transient) the backend's circuit breaker is open; nothing was sent</td></tr>
 *   <tr><td>{@link RetryBudgetExhaustedException}</td><td>(transient) retries stopped to protect a struggling backend</td></tr>
 *   <tr><td>{@link BulkheadFullException}</td><td>(transient) too many calls already in flight to this backend</td></tr>
 * </table>
 *
 * <p>Each carries its {@link #backend()}, the SQLSTATE or PostgREST {@link #code()}, the {@link #httpStatus()}
 * where there is one, the number of {@link #attempts()}, and a {@link #hint()} a person can act on. When holdfast
 * gives up after several attempts, the earlier attempts' exceptions are attached as suppressed exceptions.
 * Messages never contain passwords, API keys or JWTs: they pass through {@link Secrets#redact(String)}.
 *
 * <p>Instances are safe to publish across threads once thrown.
 */
public class HoldfastException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final transient ErrorDetails details;
  private volatile int attempts = 1;

  /**
   * @param message what went wrong, in one line
   * @param details the backend, code, status and hint
   * @param cause the underlying exception, or null
   * @throws NullPointerException if {@code message} or {@code details} is null
   */
  public HoldfastException(String message, ErrorDetails details, Throwable cause) {
    super(Secrets.redact(Objects.requireNonNull(message, "message")), cause);
    this.reason = Secrets.redact(message);
    this.details = Objects.requireNonNull(details, "details");
  }

  /** The backend that failed, such as {@code jdbc}, {@code postgrest} or {@code memory}. */
  public String backend() {
    return details.backend();
  }

  /** The SQLSTATE (such as {@code 40001}) or PostgREST code (such as {@code PGRST205}), when there is one. */
  public Optional<String> code() {
    return details.code();
  }

  /** The HTTP status, when the failure came over HTTP. */
  public OptionalInt httpStatus() {
    return details.httpStatus();
  }

  /** One line that says what a person should do about this failure, or an empty string. */
  public String hint() {
    return details.hint().map(Secrets::redact).orElse("");
  }

  /**
   * How many attempts were made before this exception was thrown: 1 when no retry happened, 0 when the call was
   * rejected before any attempt (an open circuit breaker, a full bulkhead).
   */
  public int attempts() {
    return attempts;
  }

  /** The failure's details. */
  public ErrorDetails details() {
    return details;
  }

  /** The one-line reason without the bracketed context that {@link #getMessage()} adds. */
  public String reason() {
    return reason;
  }

  /**
   * Records how many attempts the call made. Called by {@link Guard} when it gives up; the exception object
   * is otherwise immutable.
   */
  void recordAttempts(int attempts) {
    this.attempts = attempts;
  }

  @Override
  public String getMessage() {
    StringBuilder out = new StringBuilder(reason).append(" [backend=").append(backend());
    code().ifPresent(c -> out.append(", code=").append(c));
    httpStatus().ifPresent(s -> out.append(", status=").append(s));
    out.append(", attempts=").append(attempts).append(']');
    String hint = hint();
    if (!hint.isEmpty()) {
      out.append(" Hint: ").append(hint);
    }
    return out.toString();
  }
}
