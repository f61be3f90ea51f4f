package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.Secrets;
import okhttp3.HttpUrl;

/** Validates the base URL once, at build time, so that a typo fails there and not on the first request. */
public final class BaseUrl {
  private BaseUrl() {}

  /**
   * The parsed base URL of {@code url}: http or https, no query or fragment, no trailing empty path segment.
   *
   * @throws ConfigurationException if it is malformed; the message shows it with secrets masked
   */
  public static HttpUrl parse(String url) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url.trim());
    if (parsed == null || parsed.query() != null || parsed.fragment() != null) {
      throw new ConfigurationException("Invalid PostgREST base URL '" + Secrets.redact(String.valueOf(url)) + "'",
          ErrorDetails.of(ErrorMapper.BACKEND).withHint("Use https://<ref>.supabase.co/rest/v1 or the http(s) URL "
              + "of your PostgREST server, without query string or fragment."), null);
    }
    HttpUrl.Builder b = parsed.newBuilder();
    int last = parsed.pathSize() - 1;
    if (last >= 0 && parsed.pathSegments().get(last).isEmpty()) {
      b.removePathSegment(last);
    }
    return b.build();
  }

  /** {@code url} for display: scheme, host, port and path, with any user info masked. */
  public static String display(HttpUrl url) {
    HttpUrl shown = url.username().isEmpty() ? url : url.newBuilder().username(Secrets.MASK).password("").build();
    return shown.toString();
  }
}
