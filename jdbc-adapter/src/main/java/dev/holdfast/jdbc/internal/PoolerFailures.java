package dev.holdfast.jdbc.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import java.util.Optional;

/**
 * The failures that say a connection's session went wrong behind a transaction-mode pooler: a server-side prepared
 * statement met another client's of the same name, or missed its own, or a Bind reached a statement other than
 * the one the driver prepared. None of them is fixed by retrying, each leaves the connection's session state
 * untrustworthy (so the connection is evicted), and the fix is the pool's configuration. Internal; stateless.
 */
final class PoolerFailures {
  private PoolerFailures() {}

  /**
   * The classification of a pooler failure, or empty when {@code state}/{@code lower} show none.
   *
   * @param oneShot whether the statement that failed was one-shot (holdfast's own): then a value that does not
   *     convert is a genuinely bad value, not a Bind that reached another statement
   */
  static Optional<HoldfastException> classify(String state, String lower, String reason, ErrorDetails details,
      Throwable failure, boolean oneShot) {
    Kind kind = kind(state, lower, oneShot);
    if (kind == null) {
      return Optional.empty();
    }
    return Optional.of(new ConfigurationException(reason, details.withHint(kind.hint), failure));
  }

  /** Whether the failure of one of holdfast's own (one-shot) statements leaves its connection untrustworthy. */
  static boolean poisons(String state, String lower) {
    return kind(state, lower, true) != null;
  }

  private enum Kind {
    PREPARED(PoolerSettings.PREPARED_HINT),
    ABORTED("The server aborted this transaction after a statement in it failed, so nothing was committed. If that "
        + "failure was caught inside the unit of work, rethrow it. Behind a transaction-mode pooler this follows a "
        + "prepared-statement collision: " + PoolerSettings.PREPARED_HINT),
    UNCONFIRMED("Nothing was committed and the connection was evicted. A COMMIT the server does not confirm "
        + "means something between holdfast and PostgreSQL answered out of turn: " + PoolerSettings.PREPARED_HINT),
    MISBOUND("If the values are right, the Bind reached another statement than the one prepared: a prepared "
        + "statement of another client behind a transaction-mode pooler. " + PoolerSettings.PREPARED_HINT);

    final String hint;

    Kind(String hint) {
      this.hint = hint;
    }
  }

  private static Kind kind(String state, String lower, boolean oneShot) {
    switch (state) {
      case "42P05", "26000" -> {
        // "prepared statement "S_1" already exists" / "does not exist".
        return Kind.PREPARED;
      }
      case "08P01" -> {
        if (lower.contains("did not confirm the commit")) {
          return Kind.UNCONFIRMED;
        }
        // "bind message supplies 2 parameters, but prepared statement "S_3" requires 1".
        return lower.contains("prepared statement") || lower.contains("bind message") ? Kind.PREPARED : null;
      }
      case "25P02" -> {
        return Kind.ABORTED;
      }
      case "22P03" -> {
        // "incorrect binary data format in bind parameter 1": the driver's binary value met another type.
        return lower.contains("bind parameter") ? Kind.MISBOUND : null;
      }
      case "22P02", "22021" -> {
        // A parameter that does not convert to the type the statement on the server declares. pgjdbc declares its
        // parameters' types itself, so unless the statement was holdfast's own one-shot one, the server's
        // statement is not the one the driver prepared.
        return !oneShot && lower.contains("unnamed portal parameter") ? Kind.MISBOUND : null;
      }
      default -> {
        return null;
      }
    }
  }
}
