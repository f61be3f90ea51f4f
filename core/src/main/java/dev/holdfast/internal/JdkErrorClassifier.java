package dev.holdfast.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.spi.ErrorClassifier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The last classifier a guard asks: the JDK's own network and timeout exceptions, wherever they sit in the cause
 * chain (a driver or a DAO often wraps them). Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@link ConnectException}, {@link NoRouteToHostException}, {@link PortUnreachableException} and
 *       {@code java.net.http.HttpConnectTimeoutException}: transient, and the request was never sent;</li>
 *   <li>{@link UnknownHostException}: a configuration error (a mistyped host name does not heal);</li>
 *   <li>{@link SocketTimeoutException}, {@link InterruptedIOException}, {@link TimeoutException}: transient, code
 *       {@value #TIMEOUT}, and the request may have been sent;</li>
 *   <li>any other {@link IOException}: transient, and the request may have been sent.</li>
 * </ul>
 */
public final class JdkErrorClassifier implements ErrorClassifier {
  /** The code of a failure that is a timeout. */
  public static final String TIMEOUT = "HF_TIMEOUT";

  private static final int MAX_DEPTH = 32;

  @Override
  public Optional<HoldfastException> classify(Throwable failure, String backend) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH && seen.add(t); depth++, t = t.getCause()) {
      HoldfastException classified = classifyOne(t, failure, ErrorDetails.of(backend));
      if (classified != null) {
        return Optional.of(classified);
      }
    }
    return Optional.empty();
  }

  private static HoldfastException classifyOne(Throwable t, Throwable failure, ErrorDetails details) {
    if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof PortUnreachableException
        || t.getClass().getName().equals("java.net.http.HttpConnectTimeoutException")) {
      return new TransientException("could not connect: " + t.getMessage(),
          details.withHint("Check that the database or pooler is running and reachable from this host."),
          failure, false, null);
    }
    if (t instanceof UnknownHostException) {
      return new ConfigurationException("unknown host: " + t.getMessage(),
          details.withHint("Check the host name in the connection settings; DNS cannot resolve it."), failure);
    }
    if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException || t instanceof TimeoutException) {
      return new TransientException("timed out: " + t.getMessage(), details.withCode(TIMEOUT), failure, true, null);
    }
    if (t instanceof IOException) {
      return new TransientException("I/O error: " + t.getMessage(), details, failure, true, null);
    }
    return null;
  }
}
