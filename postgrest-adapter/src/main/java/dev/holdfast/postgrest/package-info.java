/**
 * holdfast-postgrest: a closeable PostgREST client ({@link dev.holdfast.postgrest.PostgrestClient}) with a fluent
 * request builder in the style of postgrest-js, and holdfast's PostgREST backend
 * ({@link dev.holdfast.postgrest.PostgrestBackend}).
 *
 * <p>Failures are holdfast exceptions:
 * <ul>
 *   <li>{@code PGRST000}-{@code PGRST003} (PostgREST cannot reach PostgreSQL, pool timeout), connection refused
 *       and connect failures: {@link dev.holdfast.TransientException} with {@code requestSent() == false};</li>
 *   <li>502/503/504, Cloudflare 520-524, 429, serialization failures ({@code 40001}), deadlocks, statement
 *       timeouts ({@code 57014}), dropped connections and timeouts after sending:
 *       {@link dev.holdfast.TransientException}, with {@code Retry-After} (seconds or HTTP date) as
 *       {@code retryAfter()};</li>
 *   <li>{@code PGRST1xx}: {@link dev.holdfast.InvalidRequestException}; {@code PGRST116} for a single-object read
 *       of no row: {@link dev.holdfast.NotFoundException};</li>
 *   <li>{@code PGRST2xx}, {@code 42P01}, {@code 42703}: {@link dev.holdfast.SchemaMismatchException}, with the hint
 *       to reload the schema cache ({@code NOTIFY pgrst, 'reload schema'});</li>
 *   <li>{@code PGRST3xx}, 401, 403, {@code 42501}: {@link dev.holdfast.ConfigurationException};</li>
 *   <li>{@code 23xxx} (such as {@code 23505}, 409): {@link dev.holdfast.ConflictException} with the constraint.</li>
 * </ul>
 * A body that is not JSON (a proxy's HTML page) is classified by its status and quoted in a short excerpt.
 */
package dev.holdfast.postgrest;
