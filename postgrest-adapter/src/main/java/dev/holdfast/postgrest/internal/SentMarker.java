package dev.holdfast.postgrest.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Records whether a request got as far as the network: OkHttp calls network interceptors only once a connection
 * is open and just before the request is written. A failure while the marker is still unset (connection refused,
 * DNS, TLS handshake, connect timeout) proves the server never saw the request, so even a non-idempotent write
 * may be sent again. One marker per call, carried as the request's tag. Thread-safe.
 */
public final class SentMarker {
  private final AtomicBoolean sent = new AtomicBoolean();

  /** Whether the request may have been (partly) written to a connection. */
  public boolean sent() {
    return sent.get();
  }

  /** The network interceptor that sets the marker of each request that carries one. */
  public static final Interceptor INTERCEPTOR = new Interceptor() {
    @Override
    public Response intercept(Chain chain) throws IOException {
      SentMarker marker = chain.request().tag(SentMarker.class);
      if (marker != null) {
        marker.sent.set(true);
      }
      return chain.proceed(chain.request());
    }
  };
}
