package dev.holdfast.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak's clients were told, kept to be checked against the database at the end. Each client owns its
 * rows, so every row's history is sequential. Thread-safe.
 */
final class SoakLedger {
  final AtomicLong attempted = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong typedFailure = new AtomicLong();
  final AtomicLong unknownOutcome = new AtomicLong();
  final AtomicLong untypedFailure = new AtomicLong();
  final Map<String, AtomicLong> failuresByCode = new java.util.concurrent.ConcurrentHashMap<>();

  /** One client's own record of its inserts and updates. Confined to the client's thread until the end. */
  static final class Client {
    /** Keys of inserts that were acknowledged, with the row id the database gave. */
    final Map<String, Long> acknowledged = new HashMap<>();
    /** Keys of inserts that ended in an unknown outcome: present at most once. */
    final List<String> unknown = new ArrayList<>();
    /** Keys of inserts that failed with a typed error that says the insert was not applied. */
    final List<String> notApplied = new ArrayList<>();
    /** Per acknowledged row: the last acknowledged value, and values tried since whose outcome is unclear. */
    final Map<Long, Long> lastAckedValue = new HashMap<>();
    final Map<Long, List<Long>> triedSinceAck = new HashMap<>();
    final List<Long> rowIds = new ArrayList<>();
  }

  void failure(String code) {
    failuresByCode.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
  }
}
