package dev.holdfast.postgrest.internal;

import dev.holdfast.ConfigurationException;
import dev.holdfast.ErrorDetails;
import dev.holdfast.HoldfastException;
import dev.holdfast.TransientException;
import dev.holdfast.postgrest.TokenSupplier;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The API key and the bearer-token supplier, with every value checked before it becomes a header: the key once,
 * when the client is built, each token every time the supplier hands one out. A supplier that throws is reported
 * as a {@link ConfigurationException}, or as a {@link TransientException} when it throws one itself or fails with
 * an {@link UncheckedIOException} (its identity provider was unreachable); either way its message is redacted
 * and nothing was sent. Thread-safe when the supplier is.
 */
public final class Credentials {
  private final String apiKey;
  private final TokenSupplier tokens;

  /**
   * @param apiKey the {@code apikey} header, or null
   * @param tokens the bearer-token supplier, or null (then the API key is the bearer, as Supabase expects)
   * @throws ConfigurationException if the API key cannot be sent as a header; the key is not shown
   */
  public Credentials(String apiKey, TokenSupplier tokens) {
    if (apiKey != null) {
      String problem = HeaderValues.credentialProblem(apiKey);
      if (problem != null) {
        throw new ConfigurationException("The API key " + problem + ", so it cannot be sent in the apikey header",
            ErrorDetails.of(ErrorMapper.BACKEND).withHint("Copy the key again (Supabase: Project Settings > API), "
                + "without quotes, spaces or line breaks."), null);
      }
    }
    this.apiKey = apiKey;
    this.tokens = tokens;
  }

  /** The {@code apikey} header, or null. */
  public String apiKey() {
    return apiKey;
  }

  /** Whether a token supplier is configured. */
  public boolean hasTokens() {
    return tokens != null;
  }

  /** The bearer token for the next request: the supplier's, else the API key, else null. */
  public String bearer() {
    if (tokens == null) {
      return apiKey;
    }
    String token;
    try {
      token = tokens.get();
    } catch (RuntimeException e) {
      throw failed("get()", e, null);
    }
    return checked(token, "get()");
  }

  /** A fresh token to replace {@code rejected}, which the server refused. */
  public String refresh(String rejected) {
    String token;
    try {
      token = tokens.refresh(rejected);
    } catch (RuntimeException e) {
      throw failed("refresh()", e, rejected);
    }
    return checked(token, "refresh()");
  }

  private String checked(String token, String method) {
    String problem = token == null ? "is null" : token.regionMatches(true, 0, "Bearer ", 0, 7)
        ? "starts with \"Bearer \"" : HeaderValues.credentialProblem(token);
    if (problem != null) {
      throw new ConfigurationException("The token from the token supplier's " + method + " " + problem
          + ", so it cannot be sent in the Authorization header; nothing was sent", ErrorDetails
          .of(ErrorMapper.BACKEND).withHint("Return the bare JWT: no \"Bearer \" prefix, quotes, spaces or line "
              + "breaks."), null);
    }
    return token;
  }

  private HoldfastException failed(String method, RuntimeException e, String rejected) {
    List<String> known = Arrays.asList(apiKey, rejected);
    String message = "The token supplier's " + method + " failed; nothing was sent: "
        + RedactedFailure.message(e, known);
    ErrorDetails details = ErrorDetails.of(ErrorMapper.BACKEND);
    RedactedFailure cause = RedactedFailure.of(e, known);
    if (e instanceof TransientException t) {
      return new TransientException(message, details.withHint(t.hint().isEmpty() ? null : t.hint()), cause, false,
          t.retryAfter().orElse(null));
    }
    if (e instanceof UncheckedIOException) {
      return new TransientException(message, details.withHint("The token could not be fetched; try again."), cause,
          false, null);
    }
    return new ConfigurationException(message, details.withHint("Fix the token supplier: it must return the "
        + "current JWT or throw a TransientException when the identity provider is briefly unavailable."), cause);
  }
}
