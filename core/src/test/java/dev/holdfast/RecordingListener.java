package dev.holdfast;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event, in order. Thread-safe. */
final class RecordingListener implements GuardListener {
  private final List<GuardEvent> events = new ArrayList<>();

  @Override
  public synchronized void on(GuardEvent event) {
    events.add(event);
  }

  synchronized List<GuardEvent> events() {
    return List.copyOf(events);
  }

  /** The events' simple class names, in order: easy to compare. */
  synchronized List<String> names() {
    return events.stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  synchronized <E extends GuardEvent> List<E> of(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
