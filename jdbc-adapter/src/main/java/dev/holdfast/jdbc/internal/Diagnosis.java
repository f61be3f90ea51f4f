package dev.holdfast.jdbc.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link dev.holdfast.jdbc.ConnectionDoctor} explains a failure: the failure rule of {@link ConnectionRules}
 * that applies, with the failure's own headline, or what the classifier says of anything else. Internal;
 * stateless.
 */
public final class Diagnosis {
  private Diagnosis() {}

  /**
   * The finding for {@code failure}.
   *
   * @param address {@code host:port} when known, or null
   */
  public static Finding explain(Throwable failure, String address) {
    String state = SqlFailures.sqlExceptions(failure).stream().map(SQLException::getSQLState)
        .filter(s -> s != null && !s.isBlank()).findFirst()
        .orElse(failure instanceof HoldfastException h ? h.code().orElse("") : "");
    String headline = failure instanceof HoldfastException h ? h.reason() : ConnectFailure.headline(failure, address);
    Optional<ConnectionRules.FailureMatch> known = ConnectionRules.match(FailureFacts.of(failure, state, address));
    if (known.isPresent()) {
      // A connection that failed is an error, even when a retry may get through.
      ConnectionRules.FailureMatch m = known.get();
      return new Finding(Severity.ERROR, m.rule().topic(), compose(m.message(), headline), m.fix());
    }
    HoldfastException classified = failure instanceof HoldfastException h ? h
        : SqlFailures.classify(failure, "jdbc", SqlFailures.Phase.UNKNOWN, false, address).orElse(null);
    if (classified != null && !classified.hint().isEmpty()) {
      Severity severity = classified instanceof TransientException ? Severity.WARNING : Severity.ERROR;
      String topic = classified.code().map(c -> "sqlstate." + c).orElse(classified instanceof ConfigurationException
          ? "configuration" : "database");
      return new Finding(severity, topic, classified.reason(), classified.hint());
    }
    return failed(failure, address);
  }

  /** The finding for a failure no rule knows: {@link ConnectionRules#CONNECTION_FAILED} with its headline. */
  public static Finding failed(Throwable failure, String address) {
    String headline = failure instanceof HoldfastException h ? h.reason() : ConnectFailure.headline(failure, address);
    Rule r = ConnectionRules.CONNECTION_FAILED;
    return new Finding(Severity.ERROR, r.topic(), compose(r.message(Map.of()), headline), r.fix(Map.of()));
  }

  /** The rule's words, then what the failure itself said, in parentheses (never after a colon: see Secrets). */
  private static String compose(String message, String headline) {
    return message + " (" + headline + ")";
  }
}
