package dev.holdfast.jdbc.internal;

import java.util.Map;

/**
 * Something the parser noticed in a connection string that it could still read, such as credentials given twice
 * or a password with unencoded reserved characters; {@link ConnectionRules} turns it into a finding. The values
 * never hold a password. Internal; immutable.
 *
 * @param topic the topic of the rule that reports it
 * @param values what the rule's message needs, such as the two user names that disagree
 */
public record ParseNote(String topic, Map<String, String> values) {
  public ParseNote {
    values = Map.copyOf(values);
  }

  public static ParseNote of(String topic) {
    return new ParseNote(topic, Map.of());
  }
}
