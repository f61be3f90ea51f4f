package dev.holdfast.jdbc.internal;

import dev.holdfast.jdbc.ConnectionDoctor.Finding;
import dev.holdfast.jdbc.ConnectionDoctor.Severity;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of {@link ConnectionRules}: a mistake, what it means and what to change. {@code message} and
 * {@code fix} are templates whose {@code {name}} placeholders are filled from what was found; a placeholder with no
 * value is shown as {@code <name>}, as the README's table shows it. Internal; immutable and thread-safe.
 *
 * @param topic a short stable key, such as {@code supabase.pooler.user}
 * @param severity how serious it is in the doctor's report
 * @param outcome what the user meets: a finding before connecting, or the exception holdfast throws
 * @param symptom what the user sees, for the README's table
 * @param message what it means
 * @param fix what to change, or an empty string
 */
public record Rule(String topic, Severity severity, Outcome outcome, String symptom, String message, String fix) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

  /** What a user meets when a rule applies. */
  public enum Outcome {
    /** The parser refuses the string: {@link dev.holdfast.InvalidRequestException}. */
    INVALID_REQUEST("InvalidRequestException"),
    /** The doctor reports it; holdfast refuses to build a backend from an ERROR and logs a WARNING. */
    FINDING("finding"),
    /** Connecting fails with {@link dev.holdfast.ConfigurationException}, on the first attempt. */
    CONFIGURATION("ConfigurationException"),
    /** Connecting fails with {@link dev.holdfast.TransientException}; the guard retries it. */
    TRANSIENT("TransientException");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** How the README's table names it. */
    public String label() {
      return label;
    }
  }

  public Rule {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(symptom, "symptom");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
  }

  /** The message with its placeholders filled from {@code values}. */
  public String message(Map<String, String> values) {
    return fill(message, values);
  }

  /** The fix with its placeholders filled from {@code values}. */
  public String fix(Map<String, String> values) {
    return fill(fix, values);
  }

  /** The doctor's finding for this rule. */
  public Finding finding(Map<String, String> values) {
    return new Finding(severity, topic, message(values), fix(values));
  }

  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "<" + m.group(1) + ">" : value));
    }
    return m.appendTail(out).toString();
  }
}
