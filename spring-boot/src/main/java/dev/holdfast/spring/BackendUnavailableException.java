package dev.holdfast.spring;

import java.util.Objects;

/**
 * With {@code holdfast.startup.fail-fast=true}, a backend could not be reached at startup. The message is the
 * connection doctor's finding and {@link #advice()} what to change; neither holds a password, key or token.
 * Startup's failure analysis prints both. Safe to publish across threads once thrown.
 */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final String advice;

  /**
   * @param backend {@code jdbc} or {@code postgrest}
   * @param finding what happened, in one line
   * @param advice what to change
   * @param cause the failure, or null
   */
  public BackendUnavailableException(String backend, String finding, String advice, Throwable cause) {
    super(Objects.requireNonNull(finding, "finding"), cause);
    this.backend = Objects.requireNonNull(backend, "backend");
    this.advice = Objects.requireNonNull(advice, "advice");
  }

  /** {@code jdbc} or {@code postgrest}. */
  public String backend() {
    return backend;
  }

  /** What to change. */
  public String advice() {
    return advice;
  }
}
