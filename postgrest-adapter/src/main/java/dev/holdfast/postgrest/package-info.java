/**
 * holdfast-postgrest: a closeable PostgREST client ({@link dev.holdfast.postgrest.PostgrestClient}) with a fluent
 * request builder in the style of postgrest-js, and holdfast's PostgREST backend
 * ({@link dev.holdfast.postgrest.PostgrestBackend}).
 *
 * <p>Failures are holdfast exceptions:
 * <ul>
 *   <li>{@code PGRST000}-{@code PGRST003} (PostgREST cannot reach PostgreSQL, pool timeout), connection refused
 *       and connect failures: {@link dev.holdfast.TransientException} with {@code requestSent() == false};</li>
 *   <li>serialization failures ({@code 40001}), deadlocks ({@code 40P01}) and statement timeouts
 *       ({@code 57014}): {@link dev.holdfast.TransientException} with {@code requestSent() == false}, because
 *       PostgreSQL rolled the request's transaction back, so even a write may be sent again;</li>
 *   <li>502/503/504, Cloudflare 520-524, 429, dropped connections and timeouts after sending:
 *       {@link dev.holdfast.TransientException}, with {@code Retry-After} (seconds or HTTP date, at most an hour)
 *       as {@code retryAfter()};</li>
 *   <li>{@code PGRST1xx}: {@link dev.holdfast.InvalidRequestException}; {@code PGRST116} for a single-object read
 *       of no row: {@link dev.holdfast.NotFoundException}; {@code PGRST106} and {@code PGRST125} (a schema or path
 *       PostgREST does not serve): {@link dev.holdfast.ConfigurationException};</li>
 *   <li>{@code PGRST2xx}, {@code 42P01}, {@code 42703}: {@link dev.holdfast.SchemaMismatchException}, with the hint
 *       to reload the schema cache ({@code NOTIFY pgrst, 'reload schema'});</li>
 *   <li>{@code PGRST3xx}, 401, 403, {@code 42501}: {@link dev.holdfast.ConfigurationException};</li>
 *   <li>{@code 23xxx} (such as {@code 23505}, 409): {@link dev.holdfast.ConflictException} with the constraint;</li>
 *   <li>a redirect to another origin than the base URL's: {@link dev.holdfast.ConfigurationException} (it is
 *       never followed: the request carries credentials);</li>
 *   <li>a 2xx body that cannot be used: {@link dev.holdfast.UnknownOutcomeException} for a non-idempotent write;
 *       for a read, {@link dev.holdfast.TransientException} when it was cut off or garbled (or is empty or
 *       {@code null}), {@link dev.holdfast.ConfigurationException} when it is an HTML page or other non-JSON,
 *       {@link dev.holdfast.InvalidRequestException} for duplicate keys.</li>
 * </ul>
 * An error body that is not JSON (a proxy's HTML page) is classified by its status and quoted in a short excerpt.
 */
package dev.holdfast.postgrest;
