package dev.holdfast;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of rows and how to ask for the next one. Immutable and thread-safe when {@code T} is.
 *
 * <pre>{@code
 * PageRequest request = PageRequest.first(100);
 * while (true) {
 *   Page<Task> page = tasks.page(Query.all(), request);
 *   page.items().forEach(this::process);
 *   if (page.next().isEmpty()) break;
 *   request = page.next().get();
 * }
 * }</pre>
 *
 * @param items the rows on this page
 * @param next the request for the following page, empty when this page is the last
 * @param <T> the row type
 */
public record Page<T>(List<T> items, Optional<PageRequest> next) {
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    Objects.requireNonNull(next, "next");
  }

  /** Whether a following page may hold rows. */
  public boolean hasNext() {
    return next.isPresent();
  }
}
