package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.postgrest.TokenSupplier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link HttpSpec}s: adds credentials, applies the per-call timeout, refreshes the token once on an
 * expired-JWT 401, reads the body in full, and turns every failure into a holdfast exception. Thread-safe.
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final boolean ownsClient;
  private final HttpUrl base;
  private final String apiKey;
  private final TokenSupplier tokens;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param http the client to send with; it must carry {@link SentMarker#INTERCEPTOR} as a network interceptor
   * @param ownsClient whether {@link #close()} shuts {@code http}'s dispatcher and pool down
   * @param apiKey the {@code apikey} header, or null
   * @param tokens the bearer-token supplier, or null (then the API key is the bearer, as Supabase expects)
   */
  public Transport(OkHttpClient http, boolean ownsClient, HttpUrl base, String apiKey, TokenSupplier tokens,
      Clock clock) {
    this.http = http;
    this.ownsClient = ownsClient;
    this.base = base;
    this.apiKey = apiKey;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** The base URL. */
  public HttpUrl base() {
    return base;
  }

  /** The OkHttp client requests go through. */
  public OkHttpClient http() {
    return http;
  }

  /**
   * Sends {@code spec} once (twice when the token was refreshed after a 401) and returns the 2xx response.
   *
   * @throws HoldfastException classified: see {@link ErrorMapper}
   * @throws IllegalStateException if the transport is closed
   */
  public RawResponse execute(HttpSpec spec) {
    if (closed.get()) {
      throw new IllegalStateException("PostgREST client is closed");
    }
    String token = tokens == null ? apiKey : tokens.get();
    Exchange first = send(spec, token);
    if (first.status == 401 && tokens != null && isExpiredToken(first)) {
      LOG.debug("{} rejected the bearer token ({}); refreshing it and sending again", spec.describe(),
          first.pgrstCode());
      first = send(spec, tokens.refresh(token));
    }
    if (first.status >= 200 && first.status < 300) {
      return new RawResponse(first.status, first.response.headers(), first.body);
    }
    ErrorMapper.ErrorResponse error = new ErrorMapper.ErrorResponse(first.status, first.body,
        ErrorMapper.ErrorResponse.proxyStatusError(first.response.header("Proxy-Status")),
        RetryAfter.parse(first.response.header("Retry-After"), clock.instant()));
    throw ErrorMapper.map(error, spec.describe());
  }

  /**
   * Whether a 401 says the token itself was refused (invalid or expired), which a fresh token can cure:
   * PGRST301/PGRST303, or RFC 6750's {@code error="invalid_token"} from PostgREST or a gateway.
   */
  private static boolean isExpiredToken(Exchange e) {
    String code = e.pgrstCode();
    String challenge = e.response.header("WWW-Authenticate");
    return "PGRST301".equals(code) || "PGRST303".equals(code)
        || (challenge != null && challenge.contains("invalid_token"));
  }

  private Exchange send(HttpSpec spec, String token) {
    SentMarker marker = new SentMarker();
    Call call = http.newCall(request(spec, token, marker));
    if (spec.timeout() != null) {
      call.timeout().timeout(Math.max(1, spec.timeout().toMillis()), TimeUnit.MILLISECONDS);
    }
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      String text = body.string();
      LOG.debug("{} -> {}", spec.describe(), response.code());
      return new Exchange(response.code(), response, text);
    } catch (IOException e) {
      throw failure(spec, e, marker.sent());
    }
  }

  private Request request(HttpSpec spec, String token, SentMarker marker) {
    HttpUrl.Builder url = base.newBuilder();
    spec.path().forEach(url::addPathSegment);
    spec.params().forEach(p -> url.addQueryParameter(p.name(), p.value()));
    Request.Builder b = new Request.Builder().url(url.build()).tag(SentMarker.class, marker)
        .header("Accept", "application/json");
    if (apiKey != null) {
      b.header("apikey", apiKey);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (Map.Entry<String, String> h : spec.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    RequestBody body = spec.body() == null ? null : RequestBody.create(spec.body(), JSON);
    if (body == null && !spec.method().equals("GET") && !spec.method().equals("HEAD")
        && !spec.method().equals("DELETE")) {
      body = RequestBody.create("", JSON);
    }
    return b.method(spec.method(), body).build();
  }

  private static HoldfastException failure(HttpSpec spec, IOException e, boolean sent) {
    ErrorDetails details = ErrorDetails.of(ErrorMapper.BACKEND);
    String what = spec.describe();
    // A TLS failure is a configuration problem (wrong host, proxy or certificate), not bad luck.
    if (e instanceof SSLException && !sent) {
      return new ConfigurationException(what + " failed: TLS handshake: " + e.getMessage(),
          details.withHint("Check the base URL's host and the server's certificate."), e);
    }
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return new TransientException(what + " was interrupted" + (sent ? "" : " before it was sent"), details, e,
          sent, null);
    }
    if (e instanceof InterruptedIOException) {
      String limit = spec.timeout() == null ? "the call timeout" : spec.timeout().toString();
      return new TransientException(what + " timed out after " + limit + (sent ? "" : " before it was sent"),
          details, e, sent, null);
    }
    String how = sent ? " failed after the request was sent: " : " failed to connect: ";
    return new TransientException(what + how + e, details, e, sent, null);
  }

  /** Releases the dispatcher and pooled connections of a client this transport created. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true) || !ownsClient) {
      return;
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    try {
      if (http.cache() != null) {
        http.cache().close();
      }
    } catch (IOException e) {
      LOG.debug("Closing the HTTP cache failed", e);
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** A response whose body was read. */
  private record Exchange(int status, Response response, String body) {
    String pgrstCode() {
      PostgrestErrorBody parsed = PostgrestErrorBody.parse(body);
      return parsed != null && parsed.code() != null ? parsed.code()
          : ErrorMapper.ErrorResponse.proxyStatusError(response.header("Proxy-Status"));
    }
  }

}
