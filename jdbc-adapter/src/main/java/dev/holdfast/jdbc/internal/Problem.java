package dev.holdfast.jdbc.internal;

import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import java.util.Map;

/**
 * A reason the parser refuses a connection string: one of {@link ConnectionRules}' parser rules with the values
 * its message needs (never a part of the input that could be a password). Internal; immutable.
 */
public record Problem(Rule rule, Map<String, String> values) {
  public Problem {
    values = Map.copyOf(values);
  }

  public static Problem of(Rule rule) {
    return new Problem(rule, Map.of());
  }

  /** What {@code ConnectionString.parse} throws. */
  public InvalidRequestException exception() {
    return new InvalidRequestException(rule.message(values), ErrorDetails.of("jdbc").withHint(rule.fix(values)),
        null);
  }

  /** What the doctor reports. */
  public Finding finding() {
    return rule.finding(values);
  }
}
