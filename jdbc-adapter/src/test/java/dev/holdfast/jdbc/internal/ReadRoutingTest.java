package dev.holdfast.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.CallContext;
import dev.holdfast.jdbc.ReadYourWrites;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReadRoutingTest {
  private static final ReadRouting ROUTING = new ReadRouting(
      List.of(new ReadRouting.Replica("r1", new Connections(null, "jdbc", null))), Duration.ofSeconds(1),
      new WalPositions(ReadYourWrites.OFF));

  @ParameterizedTest
  @CsvSource({"tasks.find, true", "tasks.findById, true", "tasks.count, true", "tasks.page, true",
      "tasks.stream, true", "kv.settings.get, true", "kv.settings.getMany, true", "kv.settings.getByPrefix, true",
      "tasks.insert, false", "tasks.updateById, false", "tasks.deleteById, false", "tasks.upsert, false",
      "kv.settings.set, false", "jdbc.createKeyValueTable, false"})
  void sendsOnlyTheRepositorysReadsToReplicas(String operation, boolean routed) {
    // A write's read-back runs under the write's name, so it reads from the primary the write went to.
    assertThat(ROUTING.routes(CallContext.of(operation, Duration.ofSeconds(1)))).isEqualTo(routed);
  }

  @Test
  void routesNothingWithoutReplicas() {
    ReadRouting none = new ReadRouting(List.of(), Duration.ofSeconds(1), new WalPositions(ReadYourWrites.OFF));
    assertThat(none.routes(CallContext.of("tasks.find", Duration.ofSeconds(1)))).isFalse();
  }

  @Test
  void readsWalPositionsAsBytes() {
    assertThat(WalPositions.parse("0/3000148")).isEqualTo(0x3000148L);
    assertThat(WalPositions.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
    assertThat(WalPositions.parse("")).isZero();
  }

  @Test
  void aThreadRemembersItsOwnLatestWriteAndNoOtherThreads() throws Exception {
    WalPositions positions = new WalPositions(ReadYourWrites.THREAD);
    positions.wrote(100);
    positions.wrote(50);
    assertThat(positions.required()).isEqualTo(100);
    long[] other = new long[1];
    Thread t = new Thread(() -> other[0] = positions.required());
    t.start();
    t.join();
    assertThat(other[0]).isZero();
  }

  @Test
  void anUnknownPositionSendsTheThreadToThePrimaryUntilItsNextWrite() {
    WalPositions positions = new WalPositions(ReadYourWrites.THREAD);
    positions.wrote(WalPositions.UNKNOWN);
    assertThat(positions.required()).isEqualTo(WalPositions.UNKNOWN);
    positions.wrote(200);
    assertThat(positions.required()).isEqualTo(200);
  }

  @Test
  void theBackendScopeSharesTheHighestPositionAcrossThreads() throws Exception {
    WalPositions positions = new WalPositions(ReadYourWrites.BACKEND);
    Thread t = new Thread(() -> positions.wrote(300));
    t.start();
    t.join();
    positions.wrote(100);
    assertThat(positions.required()).isEqualTo(300);
  }
}
