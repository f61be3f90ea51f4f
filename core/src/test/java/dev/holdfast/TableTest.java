package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.internal.RowMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TableTest {
  record Invoice(Long invoiceId, String customerName, BigDecimal totalAmount, Instant createdAt, LocalDate dueOn) {}

  static final Table<Invoice, Long> INVOICES =
      Table.builder("invoices", Invoice.class, Long.class).schema("billing").idColumn("invoice_id").build();

  @Test
  void mapsRecordComponentsToSnakeCaseColumns() {
    assertThat(INVOICES.columns())
        .containsExactly("invoice_id", "customer_name", "total_amount", "created_at", "due_on");
    assertThat(INVOICES.idColumn()).isEqualTo("invoice_id");
    assertThat(INVOICES.column("customerName")).isEqualTo("customer_name");
    assertThat(INVOICES.column("customer_name")).isEqualTo("customer_name");
    assertThat(INVOICES.ref().qualifiedName()).isEqualTo("billing.invoices");
  }

  @Test
  void roundTripsRowsThroughJson() {
    Invoice invoice = new Invoice(7L, "O'Brien; DROP", new BigDecimal("12.50"),
        Instant.parse("2026-03-01T10:15:30.123456Z"), LocalDate.parse("2026-04-01"));
    RowMapper<Invoice> rows = new RowMapper<>(INVOICES, "test");
    ObjectNode row = rows.toRow(invoice, false);
    assertThat(row.get("created_at").asText()).isEqualTo("2026-03-01T10:15:30.123456Z");
    assertThat(rows.fromRow(row)).isEqualTo(invoice);
  }

  @Test
  void readsTimestampsWithOffsetsAsPostgrestSendsThem() {
    ObjectNode row = INVOICES.mapper().createObjectNode()
        .put("invoice_id", 1).put("created_at", "2026-03-01T11:15:30.5+01:00").put("unknown_column", "ignored");
    Invoice read = new RowMapper<>(INVOICES, "test").fromRow(row);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.5Z"));
  }

  record Doc(Long id, JsonNode body) {}

  @Test
  void readsSqlNullInAJsonColumnAsNullNotNullNode() {
    Table<Doc, Long> docs = Table.builder("docs", Doc.class, Long.class).build();
    ObjectNode row = docs.mapper().createObjectNode().put("id", 1).putNull("body");
    assertThat(new RowMapper<>(docs, "test").fromRow(row).body()).isNull();
    ObjectNode withBody = docs.mapper().createObjectNode().put("id", 2);
    withBody.putObject("body").put("a", 1);
    assertThat(new RowMapper<>(docs, "test").fromRow(withBody).body().path("a").asInt()).isEqualTo(1);
  }

  @Test
  void reportsRowsThatDoNotMapAsSchemaMismatch() {
    ObjectNode row = INVOICES.mapper().createObjectNode().put("invoice_id", "not a number");
    assertThatThrownBy(() -> new RowMapper<>(INVOICES, "test").fromRow(row))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("billing.invoices");
  }

  @Test
  void rejectsAnIdColumnTheRecordDoesNotHave() {
    assertThatThrownBy(() -> Table.builder("invoices", Invoice.class, Long.class).idColumn("id").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id column 'id'");
  }

  @Test
  void exceptionsCarryTheirContext() {
    var e = new ConflictException("duplicate key", ErrorDetails.of("jdbc").withCode("23505").withHttpStatus(409)
        .withHint("Use upsert."), "invoices_pkey", null);
    assertThat(e.getMessage())
        .isEqualTo("duplicate key [backend=jdbc, code=23505, status=409, attempts=1] Hint: Use upsert.");
    assertThat(e.constraint()).hasValue("invoices_pkey");
  }
}
