package dev.holdfast;

import java.time.Duration;

/** Exceptions for guard tests, each a fresh object. */
final class Failures {
  private Failures() {}

  /** A transient failure after which the request may have reached the server. */
  static TransientException sent(String message) {
    return new TransientException(message, ErrorDetails.of("test").withCode("08006"), null, true, null);
  }

  /** A transient failure that proves the request never left. */
  static TransientException notSent(String message) {
    return new TransientException(message, ErrorDetails.of("test").withCode("08001"), null, false, null);
  }

  /** A transient failure carrying the server's Retry-After. */
  static TransientException retryAfter(String message, Duration retryAfter) {
    return new TransientException(message, ErrorDetails.of("test").withHttpStatus(503), null, true, retryAfter);
  }

  static ConflictException conflict() {
    return new ConflictException("duplicate key", ErrorDetails.of("test").withCode("23505"), "tasks_pkey", null);
  }

  static SchemaMismatchException schemaMismatch() {
    return new SchemaMismatchException("no such table", ErrorDetails.of("test").withCode("42P01"), null);
  }
}
