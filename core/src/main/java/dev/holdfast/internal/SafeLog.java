package dev.holdfast.internal;

import dev.holdfast.HoldfastException;
import dev.holdfast.SafeResult;
import dev.holdfast.Secrets;
import dev.holdfast.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one WARN line that a failed safe call logs (logger {@code dev.holdfast.Safe}): what failed, for which key,
 * what the caller got instead, and why. Keys pass through {@link Secrets#redact(String)}; exception messages are
 * already redacted. Values are never logged. Internal; thread-safe.
 */
public final class SafeLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.holdfast.Safe");

  private SafeLog() {}

  /** Logs a failed read of {@code subject} (a key, prefix or key count; may be null) and what was served. */
  public static void readFailed(String operation, String subject, SafeResult<?> served, HoldfastException error) {
    if (!LOG.isWarnEnabled()) {
      return;
    }
    String instead = switch (served.source()) {
      case LAST_KNOWN_GOOD -> "serving the last known good value (" + served.age().toMillis() + " ms old)";
      case DEFAULT -> "serving the default";
      case FRESH -> "serving a fresh value";
    };
    LOG.warn("{}{} failed; {}: {}", operation, about(subject), instead, error.getMessage());
  }

  /** Logs a failed read of {@code keys} keys in one round trip, of which {@code cached} were served from cache. */
  public static void manyFailed(String operation, int keys, int cached, HoldfastException error) {
    LOG.warn("{} of {} key(s) failed; serving {} last known good value(s) and {} default(s): {}", operation, keys,
        cached, keys - cached, error.getMessage());
  }

  /** Logs a failed call of a wrapped DAO method and what it returned instead. */
  public static void recovered(String operation, String instead, HoldfastException error) {
    LOG.warn("{} failed; returning {}: {}", operation, instead, error.getMessage());
  }

  /** Logs a failed write of {@code subject} (may be null) and its outcome. */
  public static void writeFailed(String operation, String subject, WriteResult result) {
    if (!LOG.isWarnEnabled()) {
      return;
    }
    String outcome = result.outcome() == WriteResult.Outcome.UNKNOWN
        ? "it may or may not have been applied" : "it was not applied";
    LOG.warn("{}{} failed; {}: {}", operation, about(subject), outcome,
        result.error().map(HoldfastException::getMessage).orElse(""));
  }

  private static String about(String subject) {
    return subject == null ? "" : " " + Secrets.redact(subject);
  }
}
