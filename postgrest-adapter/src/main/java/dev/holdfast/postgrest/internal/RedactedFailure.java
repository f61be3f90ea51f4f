package dev.holdfast.postgrest.internal;

import dev.holdfast.Secrets;
import java.util.List;

/**
 * A stand-in for an exception thrown by user code (a token supplier) whose message may hold a secret: it keeps
 * the original's class name, stack trace and cause chain, with every message redacted (the secrets the client
 * knows, such as the API key and the token being replaced, and anything {@link Secrets#redact} recognises, such
 * as JWT-shaped text), so that a stack trace printed from a holdfast exception never shows them. Immutable once
 * built.
 */
public final class RedactedFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 16;

  private RedactedFailure(Throwable original, List<String> known, int depth) {
    super(original.getClass().getName() + describe(original.getMessage(), known),
        original.getCause() == null || depth >= MAX_DEPTH ? null
            : new RedactedFailure(original.getCause(), known, depth + 1), false, true);
    setStackTrace(original.getStackTrace());
  }

  /**
   * A redacted copy of {@code original} and its causes; suppressed exceptions are left out.
   *
   * @param known secret values to mask wherever they appear (nulls and very short values are ignored)
   */
  public static RedactedFailure of(Throwable original, List<String> known) {
    return new RedactedFailure(original, known, 0);
  }

  /** {@code original}'s simple class name and redacted message, for a holdfast exception's own message. */
  public static String message(Throwable original, List<String> known) {
    return original.getClass().getSimpleName() + describe(original.getMessage(), known);
  }

  /** {@code text} with the {@code known} secrets and every recognisable secret masked. */
  public static String redact(String text, List<String> known) {
    String out = text;
    for (String secret : known) {
      // A one- or two-character "secret" would mask half of every message; such values are not secrets.
      if (secret != null && secret.length() >= 4) {
        out = out.replace(secret, Secrets.MASK);
      }
    }
    return Secrets.redact(out);
  }

  private static String describe(String message, List<String> known) {
    return message == null || message.isBlank() ? "" : ": " + redact(message, known);
  }
}
