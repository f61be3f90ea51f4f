package dev.holdfast.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.holdfast.Order;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.SafeKeyValueStore;
import dev.holdfast.SafeResult;
import dev.holdfast.examples.spring.TaskApplication.Task;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Tasks over the starter's repository, stats over the wrapped DAO, and a banner from a safe key-value store. */
@RestController
class TaskController {
  private final Repository<Task, Long> tasks;
  private final TaskStatsDao stats;
  private final SafeKeyValueStore settings;

  TaskController(Repository<Task, Long> tasks, TaskStatsDao stats, @Qualifier("settings") SafeKeyValueStore settings) {
    this.tasks = tasks;
    this.stats = stats;
    this.settings = settings;
  }

  @GetMapping("/tasks")
  List<Task> list() {
    return tasks.find(Query.all().orderBy(Order.asc("id")));
  }

  @PostMapping("/tasks")
  Task add(@RequestBody Map<String, String> body) {
    return tasks.insert(new Task(null, body.get("title"), false, null));
  }

  @GetMapping("/tasks/recent")
  List<String> recent() {
    return stats.recentTitles(5);
  }

  @PutMapping("/banner")
  String setBanner(@RequestBody Map<String, String> body) {
    return settings.safeSet("banner", body.get("text")).outcome().name();
  }

  /** The banner and where it came from: FRESH, LAST_KNOWN_GOOD or DEFAULT. */
  @GetMapping("/banner")
  Map<String, String> banner() {
    SafeResult<JsonNode> banner = settings.safeGet("banner", TextNode.valueOf("Welcome"));
    return Map.of("text", banner.value().asText(), "source", banner.source().name());
  }
}
