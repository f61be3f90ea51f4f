package dev.holdfast.postgrest.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Records whether a request got as far as the network: OkHttp calls network interceptors only once a connection
 * is open and just before the request is written. A failure while the marker is still unset (connection refused,
 * DNS, TLS handshake, connect timeout) proves the server never saw the request, so even a non-idempotent write
 * may be sent again. One marker per call, carried as the request's tag. Thread-safe.
 */
public final class SentMarker {
  /**
   * Where the interceptor moves a 503's {@code Retry-After}. OkHttp's own follow-up logic reads that header on a
   * 503 whatever the client's retry settings: it re-sends the request (a write too) on {@code Retry-After: 0} and
   * throws a raw {@link NumberFormatException} on a value beyond {@code Integer.MAX_VALUE}. holdfast decides
   * about retries itself, so OkHttp must not see the header.
   */
  public static final String RETRY_AFTER = "Holdfast-Retry-After";

  private volatile boolean sent;

  /** Whether the request may have been (partly) written to a connection. */
  public boolean sent() {
    return sent;
  }

  /** The network interceptor that sets the marker of each request that carries one. */
  public static final Interceptor INTERCEPTOR = new Interceptor() {
    @Override
    public Response intercept(Chain chain) throws IOException {
      SentMarker marker = chain.request().tag(SentMarker.class);
      if (marker != null) {
        marker.sent = true;
      }
      Response response = chain.proceed(chain.request());
      if (response.code() == 503) {
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
          // The value is the server's, so it is carried over leniently (it may hold non-ASCII bytes).
          return response.newBuilder().headers(response.headers().newBuilder().removeAll("Retry-After")
              .addUnsafeNonAscii(RETRY_AFTER, retryAfter).build()).build();
        }
      }
      return response;
    }
  };
}
