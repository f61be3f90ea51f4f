package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.spi.TableMapping;
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
    TableMapping<Invoice> rows = INVOICES.mapping();
    ObjectNode row = rows.toJson(invoice, null);
    assertThat(row.get("created_at").asText()).isEqualTo("2026-03-01T10:15:30.123456Z");
    assertThat(rows.fromJson(row)).isEqualTo(invoice);
    assertThat(rows.toJson(invoice, java.util.List.of("customer_name")).properties()).hasSize(1);
  }

  @Test
  void readsTimestampsWithOffsetsAsPostgrestSendsThem() {
    ObjectNode row = INVOICES.mapper().createObjectNode()
        .put("invoice_id", 1).put("created_at", "2026-03-01T11:15:30.5+01:00").put("unknown_column", "ignored");
    Invoice read = INVOICES.mapping().fromJson(row);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.5Z"));
  }

  record Doc(Long id, JsonNode body) {}

  @Test
  void readsSqlNullInAJsonColumnAsNullNotNullNode() {
    Table<Doc, Long> docs = Table.builder("docs", Doc.class, Long.class).build();
    ObjectNode row = docs.mapper().createObjectNode().put("id", 1).putNull("body");
    assertThat(docs.mapping().fromJson(row).body()).isNull();
    ObjectNode withBody = docs.mapper().createObjectNode().put("id", 2);
    withBody.putObject("body").put("a", 1);
    assertThat(docs.mapping().fromJson(withBody).body().path("a").asInt()).isEqualTo(1);
  }

  @Test
  void reportsRowsThatDoNotMapAsSchemaMismatch() {
    ObjectNode row = INVOICES.mapper().createObjectNode().put("invoice_id", "not a number");
    assertThatThrownBy(() -> INVOICES.mapping().fromJson(row))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("billing.invoices");
  }

  @Test
  void readsAndMakesRecordsThroughTheirComponents() {
    Invoice invoice = new Invoice(7L, "Ann", BigDecimal.TEN, null, LocalDate.parse("2026-04-01"));
    TableMapping<Invoice> rows = INVOICES.mapping();
    assertThat(rows.get(invoice, 1)).isEqualTo("Ann");
    assertThat(rows.get(invoice, "due_on")).isEqualTo(LocalDate.parse("2026-04-01"));
    assertThat(rows.indexOf("total_amount")).isEqualTo(2);
    assertThat(rows.indexOf("nope")).isEqualTo(-1);
    assertThat(rows.create(new Object[] {7L, "Ann", BigDecimal.TEN, null, LocalDate.parse("2026-04-01")}))
        .isEqualTo(invoice);
    assertThatThrownBy(() -> rows.create(new Object[] {"seven", "Ann", BigDecimal.TEN, null, null}))
        .isInstanceOf(SchemaMismatchException.class);
  }

  record Counts(long id, int n, boolean done) {}

  @Test
  void aNullForAPrimitiveComponentIsItsDefaultAsJacksonMakesIt() {
    TableMapping<Counts> rows = Table.builder("counts", Counts.class, Long.class).build().mapping();
    assertThat(rows.create(new Object[] {1L, null, null})).isEqualTo(new Counts(1, 0, false));
  }

  record Annotated(Long id, @com.fasterxml.jackson.annotation.JsonFormat(pattern = "yyyy") LocalDate year,
      @com.fasterxml.jackson.annotation.JsonProperty("label") String name) {}

  @Test
  void aComponentWhoseConversionJacksonAnnotationsChangeIsNotPlain() {
    TableMapping<Annotated> rows = Table.builder("annotated", Annotated.class, Long.class).build().mapping();
    assertThat(rows.plain(0)).isTrue();
    assertThat(rows.plain(1)).isFalse();
    assertThat(rows.plain(2)).isTrue();
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
