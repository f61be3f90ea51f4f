package dev.holdfast.examples.spring;

import dev.holdfast.DefaultOnFailure;
import java.util.List;

/**
 * An application's own DAO. Because a method carries one of holdfast's annotations, the starter wraps its bean
 * with {@code Resilient.wrap} on the JDBC Holdfast's guard: retried, breaker shared, and an empty list instead of
 * an exception when the database stays down.
 */
public interface TaskStatsDao {
  @DefaultOnFailure
  List<String> recentTitles(int limit);

  long openCount();
}
