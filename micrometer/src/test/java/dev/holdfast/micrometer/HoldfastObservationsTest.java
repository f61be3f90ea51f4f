package dev.holdfast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Backoff;
import dev.holdfast.Call;
import dev.holdfast.CircuitBreakerSettings;
import dev.holdfast.CircuitOpenException;
import dev.holdfast.Repository;
import dev.holdfast.ResiliencePolicy;
import dev.holdfast.TransientException;
import dev.holdfast.testkit.contract.ContractItem;
import dev.holdfast.testkit.contract.ContractSchema;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HoldfastObservationsTest {
  private static final ResiliencePolicy POLICY = ResiliencePolicy.builder().maxAttempts(3)
      .backoff(Backoff.fixed(Duration.ofMillis(100))).withoutCircuitBreaker().build();

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final RecordingHandler recorded = new RecordingHandler();
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private Fixture fixture;

  HoldfastObservationsTest() {
    registry.observationConfig().observationHandler(recorded);
  }

  @AfterEach
  void close() {
    worker.shutdownNow();
    if (fixture != null) {
      fixture.close();
    }
  }

  private Repository<ContractItem, Long> items(ResiliencePolicy policy) {
    fixture = new Fixture(policy, policy, HoldfastObservations.create(registry));
    return fixture.holdfast.repository(ContractSchema.ITEMS);
  }

  private static String low(HoldfastObservationContext context, String key) {
    KeyValue value = context.getLowCardinalityKeyValue(key);
    return value == null ? null : value.getValue();
  }

  private static String high(HoldfastObservationContext context, String key) {
    KeyValue value = context.getHighCardinalityKeyValue(key);
    return value == null ? null : value.getValue();
  }

  @Test
  void aCallIsOneObservationWithAChildPerAttempt() {
    Repository<ContractItem, Long> items = items(POLICY);
    fixture.failNext(1);

    items.findById(42L);

    assertThat(recorded.calls()).hasSize(1);
    HoldfastObservationContext call = recorded.calls().get(0);
    List<HoldfastObservationContext> attempts = recorded.attemptsOf(call);
    assertThat(attempts).extracting(HoldfastObservationContext::attempt).containsExactly(1, 2);
    assertThat(recorded.started).hasSize(3);
    assertThat(recorded.allStoppedOnce()).isTrue();
    assertThat(call.getName()).isEqualTo("holdfast.call");
    assertThat(call.getContextualName()).isEqualTo("contract_items.findById");
    assertThat(low(call, "holdfast.backend")).isEqualTo("memory");
    assertThat(low(call, "holdfast.operation")).isEqualTo("contract_items.findById");
    assertThat(low(call, "holdfast.outcome")).isEqualTo("succeeded");
    assertThat(low(call, "db.operation.name")).isEqualTo("findById");
    assertThat(low(call, "db.system.name")).isEqualTo("other_sql");
    assertThat(high(call, "db.collection.name")).isEqualTo("contract_items");
    assertThat(high(call, "holdfast.attempts")).isEqualTo("2");
    assertThat(recorded.events).containsExactly("holdfast.call:retry");

    HoldfastObservationContext first = attempts.get(0);
    assertThat(first.getName()).isEqualTo("holdfast.attempt");
    assertThat(low(first, "holdfast.attempt")).isEqualTo("1");
    assertThat(low(first, "holdfast.outcome")).isEqualTo("failed");
    assertThat(first.getError()).isInstanceOf(TransientException.class);
    assertThat(high(first, "db.response.status_code")).isEqualTo("08006");
    assertThat(high(first, "error.type")).isEqualTo("TransientException");
    assertThat(low(attempts.get(1), "holdfast.outcome")).isEqualTo("succeeded");
    assertThat(attempts.get(1).getError()).isNull();
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyRemainingCurrentObservation()
        .hasNumberOfObservationsWithNameEqualTo("holdfast.attempt", 2)
        .forAllObservationsWithNameEqualTo("holdfast.attempt", c -> c.hasParentObservation())
        .hasObservationWithNameEqualTo("holdfast.call").that().hasBeenStarted().hasBeenStopped();
  }

  @Test
  void aCallThatGivesUpIsStoppedWithItsErrorAndReason() {
    Repository<ContractItem, Long> items = items(POLICY);
    fixture.failNext(3);

    Throwable thrown = catchThrowable(() -> items.findById(1L));

    HoldfastObservationContext call = recorded.calls().get(0);
    assertThat(low(call, "holdfast.outcome")).isEqualTo("attempts_exhausted");
    assertThat(call.getError()).isSameAs(thrown);
    assertThat(recorded.attemptsOf(call)).hasSize(3)
        .allSatisfy(a -> assertThat(low(a, "holdfast.outcome")).isEqualTo("failed"));
    assertThat(recorded.allStoppedOnce()).isTrue();
  }

  @Test
  void aCallRejectedByAnOpenCircuitIsStoppedWithoutAnyAttempt() {
    Repository<ContractItem, Long> items = items(POLICY.toBuilder().maxAttempts(1)
        .circuitBreaker(new CircuitBreakerSettings(1, 1, Duration.ofSeconds(1), 1).withoutProbe()).build());
    fixture.failNext(1);
    catchThrowable(() -> items.findById(1L));

    assertThat(catchThrowable(() -> items.findById(1L))).isInstanceOf(CircuitOpenException.class);

    HoldfastObservationContext rejected = recorded.calls().get(1);
    assertThat(low(rejected, "holdfast.outcome")).isEqualTo("circuit_open");
    assertThat(high(rejected, "holdfast.attempts")).isEqualTo("0");
    assertThat(recorded.attemptsOf(rejected)).isEmpty();
    assertThat(recorded.allStoppedOnce()).isTrue();
  }

  @Test
  void theCallIsAChildOfTheCallersObservationAndTheAttemptIsCurrentWhileItRuns() {
    items(POLICY);
    AtomicReference<Observation> current = new AtomicReference<>();
    Observation request = Observation.start("http.server.request", registry);

    try (Observation.Scope ignored = request.openScope()) {
      fixture.holdfast.guard().call(Call.read("OrderDao.findAll"), ctx -> {
        current.set(registry.getCurrentObservation());
        return 1;
      });
    }
    request.stop();

    HoldfastObservationContext call = recorded.calls().get(0);
    assertThat(call.getParentObservation()).isSameAs(request);
    assertThat(current.get().getContext()).isSameAs(recorded.attemptsOf(call).get(0));
    assertThat(low(call, "db.operation.name")).as("not a repository call").isEqualTo("OrderDao.findAll");
    assertThat(high(call, "db.collection.name")).isNull();
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyRemainingCurrentObservation();
  }

  @Test
  void anAsyncCallWhoseAttemptsRunOnAnotherThreadKeepsItsTree() throws Exception {
    items(POLICY);
    fixture.failNext(1);
    AtomicReference<Observation> current = new AtomicReference<>();

    CompletableFuture<Integer> future = fixture.holdfast.guard().callAsync(Call.read("tasks.count"), ctx -> {
      current.set(registry.getCurrentObservation());
      return fixture.backend.count(ctx, ContractSchema.ITEMS.ref(), dev.holdfast.Filter.all()) > 0 ? 1 : 0;
    });
    worker.submit(() -> {
      while (!future.isDone()) {
        fixture.time.advance(Duration.ofMillis(100));
      }
    }).get(10, TimeUnit.SECONDS);

    assertThat(future.get()).isZero();
    HoldfastObservationContext call = recorded.calls().get(0);
    assertThat(recorded.attemptsOf(call)).extracting(a -> low(a, "holdfast.outcome"))
        .containsExactly("failed", "succeeded");
    assertThat(current.get().getContext()).isSameAs(recorded.attemptsOf(call).get(1));
    assertThat(recorded.allStoppedOnce()).isTrue();
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyRemainingCurrentObservation();
  }

  @Test
  void noKeyValueHoldsAParameterValue() {
    Repository<ContractItem, Long> items = items(POLICY);
    items.findById(987654321L);
    fixture.failNext(1);
    fixture.holdfast.safeKeyValueStore(ContractSchema.KV_TABLE).safeGet("api-token-s3cr3t", String.class, "x");

    assertThat(recorded.started).isNotEmpty().allSatisfy(c -> assertThat(
        Stream.concat(c.getLowCardinalityKeyValues().stream(), c.getHighCardinalityKeyValues().stream())
            .map(KeyValue::getValue)).noneMatch(v -> v.contains("987654321") || v.contains("s3cr3t")));
    assertThat(recorded.started).anySatisfy(c -> assertThat(high(c, "db.collection.name")).isEqualTo("contract_kv"));
  }

  @Test
  void aReplacedConventionNamesTheKeyValues() {
    HoldfastObservationConvention custom = new DefaultHoldfastObservationConvention() {
      @Override
      public io.micrometer.common.KeyValues getLowCardinalityKeyValues(HoldfastObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and("team", "orders");
      }
    };
    fixture = new Fixture(POLICY, POLICY, HoldfastObservations.create(registry).withConvention(custom));

    fixture.holdfast.repository(ContractSchema.ITEMS).findById(1L);

    assertThat(recorded.started).allSatisfy(c -> assertThat(low(c, "team")).isEqualTo("orders"));
  }
}
