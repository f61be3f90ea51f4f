package dev.holdfast.jdbc.internal;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link ConnectionRules} look at in a failure: its SQLSTATE, the text of every message in its cause chain,
 * the exception types in it, and the address it happened at when that is known. Internal; immutable.
 */
public final class FailureFacts {
  private static final Pattern REFUSED_AT = Pattern.compile("Connection to (\\S+) refused");
  private static final Pattern DIRECT = Pattern.compile("db\\.(" + Subject.REF + ")\\.supabase\\.co");
  private static final Pattern STARTUP_PARAMETER = Pattern.compile(
      "unsupported (?:options )?startup parameter:? ([A-Za-z_.]+)");

  private final Throwable failure;
  private final String state;
  private final String text;
  private final String lower;
  private final String address;

  private FailureFacts(Throwable failure, String state, String text, String address) {
    this.failure = failure;
    this.state = state;
    this.text = text;
    this.lower = text.toLowerCase(Locale.ROOT);
    this.address = address;
  }

  /**
   * The facts of {@code failure}.
   *
   * @param address {@code host:port} when the caller knows where it connected, or null
   */
  public static FailureFacts of(Throwable failure, String state, String address) {
    StringBuilder text = new StringBuilder();
    for (SQLException e : SqlFailures.sqlExceptions(failure)) {
      text.append(e.getMessage()).append('\n');
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      text.append(t.getMessage()).append('\n');
    }
    String where = address;
    if (where == null) {
      Matcher m = REFUSED_AT.matcher(text);
      where = m.find() ? m.group(1) : null;
    }
    return new FailureFacts(failure, state == null ? "" : state, text.toString(), where);
  }

  /** The first SQLSTATE in the chain, or an empty string. */
  public String state() {
    return state;
  }

  /** Whether any message in the chain contains {@code fragment}, ignoring case. */
  public boolean says(String fragment) {
    return lower.contains(fragment.toLowerCase(Locale.ROOT));
  }

  /** Whether the cause chain holds an exception of {@code type}. */
  public boolean has(Class<? extends Throwable> type) {
    return cause(type).isPresent();
  }

  <T extends Throwable> Optional<T> cause(Class<T> type) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** The host it happened at: from the address, an unknown host's name, or the driver's message. */
  public Optional<String> host() {
    if (address != null) {
      int colon = address.lastIndexOf(':');
      return Optional.of((colon > 0 ? address.substring(0, colon) : address).replace("[", "").replace("]", ""));
    }
    return cause(java.net.UnknownHostException.class).map(Throwable::getMessage)
        .map(m -> m.contains(":") ? m.substring(0, m.indexOf(':')) : m).map(String::strip);
  }

  /** Whether it happened at Supabase's direct host {@code db.<ref>.supabase.co}. */
  public boolean atSupabaseDirectHost() {
    return host().map(h -> DIRECT.matcher(h.toLowerCase(Locale.ROOT)).matches()).orElse(false)
        || DIRECT.matcher(lower).find();
  }

  /** The values rules may show: address, host, ref and the refused startup parameter. */
  public Map<String, String> values() {
    Map<String, String> out = new HashMap<>();
    if (address != null) {
      out.put("address", address);
    }
    host().ifPresent(h -> out.put("host", h));
    Matcher direct = DIRECT.matcher(host().orElse("").toLowerCase(Locale.ROOT));
    if (direct.matches() || (direct = DIRECT.matcher(lower)).find()) {
      out.put("ref", direct.group(1));
    }
    Matcher parameter = STARTUP_PARAMETER.matcher(text);
    if (parameter.find()) {
      out.put("param", parameter.group(1));
    }
    return out;
  }
}
