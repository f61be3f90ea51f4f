package dev.holdfast.examples.spring;

import dev.holdfast.Table;
import java.time.Instant;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application on holdfast's starter: a controller over a {@code Repository<Task, Long>} that the
 * starter defines for the {@code Table} bean below, a wrapped DAO, a safe key-value store from properties, and
 * Actuator's health. Its configuration is {@code application.properties}; {@code TaskApplicationTest} runs it on
 * an embedded PostgreSQL behind a fault proxy.
 */
@SpringBootApplication
public class TaskApplication {
  /** A row of the {@code tasks} table. */
  public record Task(Long id, String title, boolean done, Instant createdAt) {}

  public static void main(String[] args) {
    SpringApplication.run(TaskApplication.class, args);
  }

  @Bean
  Table<Task, Long> tasks() {
    return Table.builder("tasks", Task.class, Long.class).build();
  }
}
