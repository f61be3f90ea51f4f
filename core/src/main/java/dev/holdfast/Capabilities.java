package dev.holdfast;

/**
 * What a backend can do beyond the {@link Repository} calls every backend supports, so that backend-agnostic code
 * can ask before it relies on something. Immutable.
 *
 * <pre>{@code
 * if (db.capabilities().transactions()) {
 *   db.inTransaction(tx -> transfer(tx, from, to, amount));
 * } else {
 *   client.rpc("transfer", Map.of("from", from, "to", to, "amount", amount)).execute();
 * }
 * }</pre>
 *
 * @param transactions whether {@link Holdfast#inTransaction} runs several calls atomically
 * @param confirmedWrites whether {@link WriteMode#CONFIRMED} differs from {@link WriteMode#ONE_ROUND_TRIP}: a
 *     write can be committed separately, so a connection lost before COMMIT proves nothing was applied
 */
public record Capabilities(boolean transactions, boolean confirmedWrites) {
  /** A backend whose every request stands alone (PostgREST). */
  public static Capabilities requestsOnly() {
    return new Capabilities(false, false);
  }
}
