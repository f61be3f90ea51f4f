package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.postgrest.PostgrestBackend;
import dev.holdfast.postgrest.PostgrestClient;
import dev.holdfast.testkit.MockPostgrest;
import dev.holdfast.testkit.MockPostgrestExtension;
import dev.holdfast.testkit.MockPostgrestFault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Order(2)
@ExtendWith(MockPostgrestExtension.class)
class TaskApiTest {
  @Test
  void readsThroughTwoUnavailableAnswers(MockPostgrest postgrest) {
    postgrest.seed("tasks", List.of(Map.of("title", "write", "done", false)));
    postgrest.faults().next(2, MockPostgrestFault.serviceUnavailable(Duration.ZERO));

    try (Holdfast holdfast = Holdfast.builder(PostgrestBackend.create(PostgrestClient.builder(postgrest.url())))
        .build()) {
      assertThat(holdfast.repository(Task.TABLE).find(Query.all())).extracting(Task::title).containsExactly("write");
    }
    assertThat(postgrest.faults().pending()).isZero();
  }
}
