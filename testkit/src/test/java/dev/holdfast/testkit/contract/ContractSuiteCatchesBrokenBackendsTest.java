package dev.holdfast.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The contract suite is only worth something if it fails for wrong backends: each case runs one contract test
 * against a backend broken in one classic way and expects it to fail, and against the correct backend and
 * expects it to pass.
 */
class ContractSuiteCatchesBrokenBackendsTest {

  static Stream<Arguments> mutants() {
    return Stream.of(
        Arguments.of(Mutants.TwoValuedNot.class, "andOrNotFollowThreeValuedLogic"),
        Arguments.of(Mutants.TwoValuedNot.class, "inMatchesListedValuesAndEmptyInMatchesNothing"),
        Arguments.of(Mutants.TwoValuedNot.class, "updatesAndDeletesFollowThreeValuedLogicToo"),
        Arguments.of(Mutants.NullsAlwaysFirst.class, "ordersNullsLastAscendingAndFirstDescendingByDefault"),
        Arguments.of(Mutants.LikeWithoutEscapes.class, "likeHonoursWildcardsAndEscapes"),
        Arguments.of(Mutants.LikeWithoutEscapes.class, "getByPrefixTakesPercentAndUnderscoreLiterallyAndOrdersByKey"),
        Arguments.of(Mutants.LikeWithoutEscapes.class, "hostileStringsMatchThemselvesInFilters"),
        Arguments.of(Mutants.IgnoresOffset.class, "limitsAndOffsets"),
        Arguments.of(Mutants.IgnoresOffset.class, "offsetPagesVisitEveryRowInOrder"),
        Arguments.of(Mutants.NonAtomicBatch.class, "aBatchWithOneDuplicateInsertsNothing"),
        Arguments.of(Mutants.AnonymousConflict.class, "duplicateIdIsAConflictNamingTheConstraint"),
        Arguments.of(Mutants.MillisecondTimestamps.class, "timestampsRoundTripToTheMicrosecond"),
        Arguments.of(Mutants.UpsertKeepsOldRow.class, "upsertInsertsThenReplaces"),
        Arguments.of(Mutants.UpsertKeepsOldRow.class, "setOverwrites"),
        Arguments.of(Mutants.TruncatesInLists.class, "getManyReturnsFoundKeysInRequestOrderAcrossManyRoundTrips"),
        Arguments.of(Mutants.CaseInsensitiveEquals.class, "comparesTextAndBooleans"));
  }

  @ParameterizedTest(name = "{0} fails {1}")
  @MethodSource("mutants")
  void contractTestFailsForTheBrokenBackendAndPassesForTheCorrectOne(Class<?> mutant, String test) {
    TestExecutionSummary broken = run(mutant, test);
    assertThat(broken.getTestsFoundCount()).as("tests found").isEqualTo(1);
    assertThat(broken.getTestsFailedCount()).as("%s should fail against %s", test, mutant.getSimpleName())
        .isEqualTo(1);
    TestExecutionSummary correct = run(Mutants.Correct.class, test);
    assertThat(correct.getTestsSucceededCount()).as("%s against the correct backend", test).isEqualTo(1);
  }

  private static TestExecutionSummary run(Class<?> testClass, String method) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(testClass, method)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    return listener.getSummary();
  }
}
