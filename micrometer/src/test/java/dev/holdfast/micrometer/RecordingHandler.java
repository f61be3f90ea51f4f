package dev.holdfast.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records holdfast's observations as they start, count their stops and events. Thread-safe. */
final class RecordingHandler implements ObservationHandler<HoldfastObservationContext> {
  final List<HoldfastObservationContext> started = new CopyOnWriteArrayList<>();
  final Map<HoldfastObservationContext, AtomicInteger> stops = new ConcurrentHashMap<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onStart(HoldfastObservationContext context) {
    started.add(context);
    stops.put(context, new AtomicInteger());
  }

  @Override
  public void onEvent(Observation.Event event, HoldfastObservationContext context) {
    events.add(context.getName() + ":" + event.getName());
  }

  @Override
  public void onStop(HoldfastObservationContext context) {
    stops.get(context).incrementAndGet();
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof HoldfastObservationContext;
  }

  List<HoldfastObservationContext> calls() {
    return started.stream().filter(c -> !c.isAttempt()).toList();
  }

  List<HoldfastObservationContext> attemptsOf(HoldfastObservationContext call) {
    return started.stream().filter(c -> c.isAttempt() && c.getParentObservation() != null
        && c.getParentObservation().getContextView() == call).toList();
  }

  /** Whether every observation started was stopped exactly once. */
  boolean allStoppedOnce() {
    return stops.values().stream().allMatch(n -> n.get() == 1);
  }
}
