package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link HttpSpec}s: adds credentials, applies the per-call timeout, follows redirects only within the base
 * URL's origin ({@link Redirects}), refreshes the token once on an expired-JWT 401, hands a 2xx body to the
 * caller's reader while the call is still open (so that reading it counts against the timeout and an I/O failure
 * is classified like any other), and turns every failure into a holdfast exception. Thread-safe.
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final RequestBody EMPTY = RequestBody.create(new byte[0], JSON);
  /** Error bodies are read up to this size: enough for any PostgREST error, not a 10 MB proxy page. */
  static final long MAX_ERROR_BODY = 256 * 1024;

  private final OkHttpClient http;
  private final boolean ownsClient;
  private final HttpUrl base;
  private final Credentials credentials;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile BaseHeaders cached;

  /**
   * Reads a 2xx response's body while the call is open. Failures to read are {@link IOException}s (classified
   * as transport failures); a body that was read but cannot be used is reported as a {@link HoldfastException}.
   */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(int status, Headers headers, ResponseBody body) throws IOException;
  }

  /**
   * @param http the client to send with: it must carry {@link SentMarker#INTERCEPTOR} as a network interceptor
   *     and have OkHttp's redirect following and connection-failure retries turned off
   * @param ownsClient whether {@link #close()} shuts {@code http}'s dispatcher and pool down
   */
  public Transport(OkHttpClient http, boolean ownsClient, HttpUrl base, Credentials credentials, Clock clock) {
    this.http = http;
    this.ownsClient = ownsClient;
    this.base = base;
    this.credentials = credentials;
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
   * Sends {@code spec} (a second time when the token was refreshed after a 401) and returns what {@code reader}
   * made of the 2xx response.
   *
   * @throws HoldfastException classified: see {@link ErrorMapper}
   * @throws IllegalStateException if the transport is closed
   */
  public <T> T execute(HttpSpec spec, BodyReader<T> reader) {
    if (closed.get()) {
      throw new IllegalStateException("PostgREST client is closed");
    }
    String token = credentials.bearer();
    Exchange<T> answer = send(spec, token, reader);
    if (answer.status == 401 && credentials.hasTokens() && isExpiredToken(answer)) {
      LOG.debug("{} rejected the bearer token ({}); refreshing it and sending again", spec.describe(),
          answer.pgrstCode());
      answer = send(spec, credentials.refresh(token), reader);
    }
    if (answer.status >= 200 && answer.status < 300) {
      return answer.value;
    }
    String retryAfter = answer.headers.get(SentMarker.RETRY_AFTER);
    ErrorMapper.ErrorResponse error = new ErrorMapper.ErrorResponse(answer.status, answer.errorBody,
        ErrorMapper.ErrorResponse.proxyStatusError(answer.headers.get("Proxy-Status")),
        RetryAfter.parse(retryAfter != null ? retryAfter : answer.headers.get("Retry-After"), clock.instant()));
    throw ErrorMapper.map(error, spec.describe());
  }

  /**
   * Whether a 401 says the token itself was refused (invalid or expired), which a fresh token can cure:
   * PGRST301/PGRST303, or RFC 6750's {@code error="invalid_token"} from PostgREST or a gateway.
   */
  private static boolean isExpiredToken(Exchange<?> e) {
    String code = e.pgrstCode();
    String challenge = e.headers.get("WWW-Authenticate");
    return "PGRST301".equals(code) || "PGRST303".equals(code)
        || (challenge != null && challenge.contains("invalid_token"));
  }

  private <T> Exchange<T> send(HttpSpec spec, String token, BodyReader<T> reader) {
    SentMarker marker = new SentMarker();
    long start = spec.timeout() == null ? 0 : System.nanoTime();
    Request request = request(spec, token, marker);
    for (int hops = 0; ; hops++) {
      Call call = http.newCall(request);
      if (spec.timeout() != null) {
        long left = spec.timeout().toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          throw new TransientException(spec.describe() + " timed out after " + spec.timeout()
              + " while following redirects", ErrorDetails.of(ErrorMapper.BACKEND), null, true, null);
        }
        call.timeout().timeout(left, TimeUnit.NANOSECONDS);
      }
      try (Response response = call.execute()) {
        int status = response.code();
        if (Redirects.isRedirect(status)) {
          request = Redirects.follow(response, base, hops, spec.describe());
          continue;
        }
        if (LOG.isDebugEnabled()) {
          LOG.debug("{} -> {}", spec.describe(), status);
        }
        if (status >= 200 && status < 300) {
          return new Exchange<>(status, response.headers(), reader.read(status, response.headers(),
              response.body()), null);
        }
        return new Exchange<>(status, response.headers(), null, errorBody(response.body()));
      } catch (IOException e) {
        throw failure(spec, e, marker.sent());
      }
    }
  }

  /** The error body as text, at most {@link #MAX_ERROR_BODY} bytes of it. */
  private static String errorBody(ResponseBody body) throws IOException {
    BufferedSource source = body.source();
    source.request(MAX_ERROR_BODY);
    long size = Math.min(source.getBuffer().size(), MAX_ERROR_BODY);
    MediaType type = body.contentType();
    Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
    return source.readString(size, charset);
  }

  private Request request(HttpSpec spec, String token, SentMarker marker) {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : spec.path()) {
      // Tables and functions are identifiers (PostgrestClient checks them) and need no encoding; OkHttp still
      // encodes '/', '?' and '#' of an encoded segment, and only '%' would pass through, so it is checked.
      if (segment.indexOf('%') < 0) {
        url.addEncodedPathSegment(segment);
      } else {
        url.addPathSegment(segment);
      }
    }
    String query = QueryEncoding.query(spec.params());
    if (query != null) {
      url.encodedQuery(query);
    }
    // Each header is added once (addHeader), rather than set (header), which would scan for one to replace.
    String accept = spec.headers().get("Accept");
    Request.Builder b = new Request.Builder().url(url.build()).tag(SentMarker.class, marker)
        .headers(baseHeaders(accept == null ? "application/json" : accept, token));
    for (Map.Entry<String, String> h : spec.headers().entrySet()) {
      if (accept == null || !h.getKey().equals("Accept")) {
        b.addHeader(h.getKey(), h.getValue());
      }
    }
    RequestBody body = spec.body() == null ? null : RequestBody.create(spec.body(), JSON);
    if (body == null && !spec.method().equals("GET") && !spec.method().equals("HEAD")
        && !spec.method().equals("DELETE")) {
      body = EMPTY;
    }
    return b.method(spec.method(), body).build();
  }

  /**
   * Accept, apikey and Authorization: for the usual Accept and the current token, built once and reused, because
   * OkHttp checks every character of a header as it is added, and a JWT has hundreds.
   */
  private Headers baseHeaders(String accept, String token) {
    BaseHeaders cached = this.cached;
    if (cached != null && cached.accept.equals(accept) && Objects.equals(cached.token, token)) {
      return cached.headers;
    }
    Headers.Builder h = new Headers.Builder().add("Accept", accept);
    String apiKey = credentials.apiKey();
    if (apiKey != null) {
      h.add("apikey", apiKey);
    }
    if (token != null) {
      h.add("Authorization", "Bearer " + token);
    }
    Headers headers = h.build();
    if (accept.equals("application/json")) {
      this.cached = new BaseHeaders(accept, token, headers);
    }
    return headers;
  }

  /** The base headers for one Accept and token. */
  private record BaseHeaders(String accept, String token, Headers headers) {
    @Override
    public String toString() {
      return "BaseHeaders{accept=" + accept + ", credentials masked}";
    }
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

  /** A response: the reader's value for a 2xx, the error body's text otherwise. */
  private record Exchange<T>(int status, Headers headers, T value, String errorBody) {
    String pgrstCode() {
      PostgrestErrorBody parsed = PostgrestErrorBody.parse(errorBody);
      return parsed != null && parsed.code() != null ? parsed.code()
          : ErrorMapper.ErrorResponse.proxyStatusError(headers.get("Proxy-Status"));
    }
  }
}
