package dev.holdfast.postgrest;

/**
 * Supplies the JWT sent as {@code Authorization: Bearer <token>} with every request (a user's session token, or a
 * service token). {@link #get()} is called for every request, so an implementation caches its token;
 * {@link #refresh(String)} is called once when PostgREST rejects the token as invalid or expired (401 with
 * {@code PGRST301} or {@code PGRST303}), and the request is then sent again once with the new token.
 * Implementations are thread-safe.
 *
 * <pre>{@code
 * TokenSupplier tokens = session::accessToken;  // no refresh logic: get() is asked again after a 401
 * }</pre>
 */
@FunctionalInterface
public interface TokenSupplier {
  /** The current token, without the {@code Bearer } prefix. */
  String get();

  /**
   * A new token to replace {@code rejected}, which the server refused. The default asks {@link #get()} again,
   * which suits suppliers that refresh on their own.
   */
  default String refresh(String rejected) {
    return get();
  }
}
