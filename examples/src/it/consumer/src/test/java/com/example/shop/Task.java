package com.example.shop;

import dev.holdfast.Table;

/** The application's row type. */
public record Task(Long id, String title, boolean done) {
  public static final Table<Task, Long> TABLE = Table.builder("tasks", Task.class, Long.class).build();
}
