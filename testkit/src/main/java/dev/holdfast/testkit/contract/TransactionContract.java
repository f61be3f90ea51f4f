package dev.holdfast.testkit.contract;

import static dev.holdfast.testkit.contract.ContractData.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Changes;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.TransactionOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Holdfast.inTransaction}: atomic on a backend that has transactions, refused at once on one that has not.
 *
 * <p>Part of {@link BackendContract}; JUnit runs its tests on the subclass, one instance per test, so nothing
 * here needs to be thread-safe.
 */
public interface TransactionContract extends ContractSuite {
  private boolean transactional() {
    return holdfast().capabilities().transactions();
  }

  private List<String> storedNames() {
    return names(items().find(Query.all().orderBy(Order.asc("id"))));
  }

  @Test
  default void aUnitCommitsEveryWriteTogetherAndReadsItsOwnWrites() {
    if (!transactional()) {
      long before = backendCalls();
      assertThatThrownBy(() -> holdfast().inTransaction(tx -> tx.repository(ContractSchema.ITEMS)
          .insert(ContractItem.named("never")))).isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(((InvalidRequestException) e).hint()).isNotBlank());
      assertThat(backendCalls() - before).as("nothing sent").isLessThanOrEqualTo(1);
      assertThat(storedNames()).isEmpty();
      return;
    }
    long total = holdfast().inTransaction(tx -> {
      Repository<ContractItem, Long> items = tx.repository(ContractSchema.ITEMS);
      ContractItem a = items.insert(ContractItem.named("a").withQty(1));
      items.insert(ContractItem.named("b").withQty(2));
      items.updateById(a.id(), Changes.set("qty", 10));
      return items.find(Query.all()).stream().mapToLong(i -> i.qty()).sum();
    });
    assertThat(total).isEqualTo(12);
    assertThat(storedNames()).containsExactly("a", "b");
  }

  @Test
  default void aUnitThatThrowsLeavesNothingBehindAndItsExceptionReachesTheCaller() {
    if (!transactional()) {
      return;
    }
    items().insert(ContractItem.named("before"));
    IllegalStateException mine = new IllegalStateException("the unit changed its mind");
    assertThatThrownBy(() -> holdfast().inTransaction(tx -> {
      Repository<ContractItem, Long> items = tx.repository(ContractSchema.ITEMS);
      items.insert(ContractItem.named("inside"));
      items.deleteWhere(dev.holdfast.Filter.eq("name", "before"));
      throw mine;
    })).isSameAs(mine);
    assertThat(storedNames()).containsExactly("before");
  }

  @Test
  default void aNestedUnitJoinsTheOuterTransaction() {
    if (!transactional()) {
      return;
    }
    assertThatThrownBy(() -> holdfast().inTransaction(tx -> {
      tx.repository(ContractSchema.ITEMS).insert(ContractItem.named("outer"));
      holdfast().inTransaction("inner", TransactionOptions.defaults(),
          inner -> inner.repository(ContractSchema.ITEMS).insert(ContractItem.named("inner")));
      throw new IllegalStateException("roll both back");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(storedNames()).isEmpty();
    holdfast().inTransaction(tx -> holdfast().inTransaction(inner ->
        inner.repository(ContractSchema.ITEMS).insert(ContractItem.named("joined"))));
    assertThat(storedNames()).containsExactly("joined");
  }

  @Test
  default void aReadOnlyUnitReads() {
    if (!transactional()) {
      return;
    }
    seed();
    long count = holdfast().inTransaction("report", TransactionOptions.defaults().withReadOnly(true),
        tx -> tx.repository(ContractSchema.ITEMS).count(dev.holdfast.Filter.all()));
    assertThat(count).isEqualTo(ContractData.SEED.size());
  }
}
