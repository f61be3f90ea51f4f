package dev.holdfast;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a backend knows about one failure: which backend, its code (an SQLSTATE such as {@code 23505} or a
 * PostgREST code such as {@code PGRST205}), the HTTP status where there is one, and a one-line hint a person can
 * act on. Immutable and thread-safe; {@code with*} methods return copies.
 *
 * <pre>{@code
 * ErrorDetails.of("jdbc").withCode("23505").withHint("A row with this key already exists.")
 * }</pre>
 */
public final class ErrorDetails {
  private final String backend;
  private final String code;
  private final int httpStatus;
  private final String hint;

  private ErrorDetails(String backend, String code, int httpStatus, String hint) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.code = code;
    this.httpStatus = httpStatus;
    this.hint = hint;
  }

  /**
   * Details for a failure of {@code backend} with no code, status or hint yet.
   *
   * @throws NullPointerException if {@code backend} is null
   */
  public static ErrorDetails of(String backend) {
    return new ErrorDetails(backend, null, 0, null);
  }

  /** A copy carrying {@code code} (an SQLSTATE or a PostgREST code); null clears it. */
  public ErrorDetails withCode(String code) {
    return new ErrorDetails(backend, code, httpStatus, hint);
  }

  /** A copy carrying the HTTP status; 0 clears it. */
  public ErrorDetails withHttpStatus(int httpStatus) {
    return new ErrorDetails(backend, code, httpStatus, hint);
  }

  /** A copy carrying a one-line hint that says what a person should change or do; null clears it. */
  public ErrorDetails withHint(String hint) {
    return new ErrorDetails(backend, code, httpStatus, hint);
  }

  /** The backend's name, such as {@code jdbc}, {@code postgrest} or {@code memory}. */
  public String backend() {
    return backend;
  }

  /** The SQLSTATE or PostgREST code, when the failure had one. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** The HTTP status, when the failure came over HTTP. */
  public OptionalInt httpStatus() {
    return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** The hint, when there is one. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  @Override
  public String toString() {
    return "ErrorDetails{backend=" + backend + ", code=" + code + ", httpStatus=" + httpStatus
        + ", hint=" + Secrets.redact(hint) + "}";
  }
}
