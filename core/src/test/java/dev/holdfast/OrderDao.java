package dev.holdfast;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A user's DAO interface, annotated for {@link Resilient}. */
public interface OrderDao {
  Optional<String> findById(long id);

  long insert(String order);

  @Idempotent
  void upsert(String order);

  @Idempotent(false)
  String getAndIncrement();

  @Attempts(5)
  List<String> listRecent();

  @Attempts(1)
  @Timeout("2s")
  String slow();

  @DefaultOnFailure
  Optional<String> findCached(long id);

  @DefaultOnFailure
  List<String> listAll();

  @Fallback("offline")
  String getStatus(String region);

  default String offline(String region, HoldfastException failure) {
    return "offline:" + region + " after " + failure.attempts();
  }

  @Fallback("labelFromCache")
  String label(long id);

  CompletableFuture<String> findAsync(long id);

  @DefaultOnFailure
  CompletableFuture<List<String>> listAsync();

  String load(String id) throws DaoException;

  String fetch(String id) throws java.io.IOException;

  default String describe(long id) {
    return findById(id).orElse("none");
  }

  /** A checked exception of the DAO's own. */
  final class DaoException extends Exception {
    private static final long serialVersionUID = 1L;

    DaoException(String message) {
      super(message);
    }
  }

  /** What the test classifier calls transient; {@code sent} says whether the request may have arrived. */
  final class FlakyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean sent;

    FlakyException(boolean sent) {
      super(sent ? "connection reset" : "connection refused");
      this.sent = sent;
    }
  }
}
