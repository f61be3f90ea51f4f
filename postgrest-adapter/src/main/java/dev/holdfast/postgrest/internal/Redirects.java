package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * holdfast's redirect rule. OkHttp's own redirect following is off on holdfast's client, because on a redirect to
 * another host OkHttp drops {@code Authorization} but keeps every other header, and the {@code apikey} header is
 * a credential. A redirect within the base URL's origin (same scheme, host and port) is followed, at most
 * {@value #MAX_HOPS} times, with the request unchanged (307 and 308 for every method; 301, 302 and 303 only for
 * GET and HEAD, since following them would turn a write into a GET); a redirect to another origin is never
 * followed and fails with a {@link ConfigurationException} naming the base URL to fix. Thread-safe (stateless).
 */
public final class Redirects {
  /** Redirects followed per request before giving up. */
  public static final int MAX_HOPS = 5;

  private Redirects() {}

  /** Whether {@code status} is a redirect holdfast considers following. */
  public static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * The request to send next for the redirect {@code response}.
   *
   * @param hops how many redirects this request has already followed
   * @param what the request, such as {@code GET /tasks}, for messages
   * @throws ConfigurationException if the redirect leaves the base URL's origin, has no usable
   *     {@code Location}, would change the method, or is one too many
   */
  public static Request follow(Response response, HttpUrl base, int hops, String what) {
    int status = response.code();
    String location = response.header("Location");
    HttpUrl target = location == null ? null : response.request().url().resolve(location);
    ErrorDetails details = ErrorDetails.of(ErrorMapper.BACKEND).withHttpStatus(status);
    String baseShown = BaseUrl.display(base);
    if (target == null) {
      throw new ConfigurationException(what + " was redirected (HTTP " + status + ") without a Location holdfast "
          + "can follow", details.withHint("Set the base URL (now " + baseShown + ") to the address where "
              + "PostgREST answers."), null);
    }
    if (!sameOrigin(target, base)) {
      // Only the origin is shown: the rest of the Location may carry a token of the other server's.
      throw new ConfigurationException(what + " was redirected (HTTP " + status + ") to another origin, "
          + origin(target) + "; holdfast does not follow it, because the request carries the API key and token",
          details.withHint("Set the base URL (now " + baseShown + ") to the address PostgREST answers on"
              + (target.host().equals(base.host()) && target.isHttps() && !base.isHttps()
              ? ", with https://" : "") + "; redirects are followed only within the base URL's origin."), null);
    }
    String method = response.request().method();
    if (status != 307 && status != 308 && !method.equals("GET") && !method.equals("HEAD")) {
      throw new ConfigurationException(what + " was redirected with HTTP " + status + ", which would turn the "
          + method + " into a GET; holdfast does not follow it", details.withHint("Set the base URL (now "
              + baseShown + ") to the address PostgREST answers on."), null);
    }
    if (hops >= MAX_HOPS) {
      throw new ConfigurationException(what + " was redirected more than " + MAX_HOPS + " times", details
          .withHint("Set the base URL (now " + baseShown + ") to the address PostgREST answers on."), null);
    }
    return response.request().newBuilder().url(target).build();
  }

  static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  /** {@code scheme://host[:port]}: the part of a URL that says where it leads, and nothing the path may hold. */
  static String origin(HttpUrl url) {
    boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
    return url.scheme() + "://" + url.host() + (defaultPort ? "" : ":" + url.port());
  }
}
