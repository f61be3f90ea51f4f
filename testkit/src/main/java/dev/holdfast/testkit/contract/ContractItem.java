package dev.holdfast.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A row of the contract table {@code contract_items} (see {@link ContractSchema#POSTGRES_DDL}). Immutable and
 * thread-safe when {@code tags} is not mutated.
 *
 * @param id the identity primary key; null before insert
 * @param name never null in the table
 * @param qty an integer or null
 * @param price a {@code numeric(12,2)} or null
 * @param active never null in the table; null on insert means the column default, true
 * @param tags a {@code jsonb} object or array, or null
 * @param createdAt a {@code timestamptz} (microsecond precision) or null
 * @param note free text or null
 */
public record ContractItem(Long id, String name, Integer qty, BigDecimal price, Boolean active, JsonNode tags,
    Instant createdAt, String note) {

  /** An item with just a name: every optional column NULL, {@code active} left to its default. */
  public static ContractItem named(String name) {
    return new ContractItem(null, name, null, null, null, null, null, null);
  }

  /** A copy with {@code id}. */
  public ContractItem withId(Long id) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }

  /** A copy with {@code name}. */
  public ContractItem withName(String name) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }

  /** A copy with {@code qty}. */
  public ContractItem withQty(Integer qty) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }

  /** A copy with {@code price}. */
  public ContractItem withPrice(String price) {
    return new ContractItem(id, name, qty, price == null ? null : new BigDecimal(price), active, tags, createdAt,
        note);
  }

  /** A copy with {@code active}. */
  public ContractItem withActive(Boolean active) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }

  /** A copy with {@code tags}. */
  public ContractItem withTags(JsonNode tags) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }

  /** A copy with {@code createdAt} parsed from ISO-8601. */
  public ContractItem withCreatedAt(String createdAt) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt == null ? null : Instant.parse(createdAt),
        note);
  }

  /** A copy with {@code note}. */
  public ContractItem withNote(String note) {
    return new ContractItem(id, name, qty, price, active, tags, createdAt, note);
  }
}
