package dev.holdfast;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text before it reaches a log line, an exception message or a {@code toString}: passwords in
 * connection URLs and key=value strings, API keys, bearer tokens and JWTs. Every holdfast exception message
 * passes through {@link #redact(String)}; adapters use it for anything they print. Thread-safe.
 */
public final class Secrets {
  /** What a masked secret is replaced with. */
  public static final String MASK = "****";

  // user:password@ in URLs (postgresql://, jdbc:postgresql://, https://).
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(//[^/:@\\s]*:)([^@\\s/]+)(@)");
  // password=..., apikey: ..., "access_token":"..." in query strings, libpq key=value, JSON and headers.
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)((?:password|passwd|pwd|apikey|api_key|api-key|secret|token|access_token|refresh_token|service_role_key)"
          + "\"?\\s*[=:]\\s*\"?)('[^']*'|[^\\s&;,\"']+)");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
  private static final Pattern SUPABASE_KEY = Pattern.compile("sb_(?:secret|publishable)_[A-Za-z0-9_-]+");

  private Secrets() {}

  /**
   * Returns {@code text} with every secret it recognises replaced by {@value #MASK}; null stays null.
   *
   * <pre>{@code
   * Secrets.redact("postgresql://postgres.abc:hunter2@host:6543/postgres")
   * // postgresql://postgres.abc:****@host:6543/postgres
   * }</pre>
   */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "$3");
    out = KEY_VALUE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    out = BEARER.matcher(out).replaceAll("$1" + MASK);
    out = JWT.matcher(out).replaceAll(MASK);
    return SUPABASE_KEY.matcher(out).replaceAll(MASK);
  }

  /**
   * Masks a secret for display: null and empty stay as they are, anything else becomes {@value #MASK}. No
   * characters of the secret are shown, because even a suffix helps an attacker narrow a short key.
   */
  public static String mask(String secret) {
    return secret == null || secret.isEmpty() ? secret : MASK;
  }
}
