package dev.holdfast.examples;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.HoldfastException;
import dev.holdfast.LastKnownGood;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.Table;
import java.time.Duration;
import java.util.List;

/**
 * A piece of "application code" for the user's integration test ({@code TaskBoardTest} in the examples' tests):
 * the data behind a page that lists open tasks under a banner, which degrades instead of failing when the
 * database is unreachable. It does not know which backend it runs on.
 */
public final class TaskBoard {
  /** A row of the {@code tasks} table. */
  public record Task(Long id, String title, boolean done) {}

  /** What the page shows. */
  public record View(List<String> openTasks, String banner, boolean degraded) {}

  public static final Table<Task, Long> TASKS = Table.builder("tasks", Task.class, Long.class).build();
  static final String DEFAULT_BANNER = "Welcome";

  private final Repository<Task, Long> tasks;
  private final SafeKeyValueStore settings;

  public TaskBoard(Holdfast db) {
    this.tasks = db.repository(TASKS);
    this.settings = db.safeKeyValueStore("settings").withLastKnownGood(LastKnownGood.of(100, Duration.ofMinutes(5)));
  }

  /** The page's data: open tasks (none, flagged degraded, if they cannot be read) and the banner. */
  public View view() {
    String banner = settings.safeGet("banner", TextNode.valueOf(DEFAULT_BANNER)).value().asText();
    try {
      List<String> open = tasks.find(Query.where(Filter.eq("done", false)).orderBy(Order.asc("id"))).stream()
          .map(Task::title).toList();
      return new View(open, banner, false);
    } catch (HoldfastException e) {
      return new View(List.of(), banner, true);
    }
  }

  /** Adds a task. */
  public Task add(String title) {
    return tasks.insert(new Task(null, title, false));
  }

  /** Sets the banner; true when it was stored. */
  public boolean setBanner(String text) {
    return settings.safeSet("banner", text).isApplied();
  }
}
