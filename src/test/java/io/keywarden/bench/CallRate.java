package io.keywarden.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Backend calls per second as the backend sees them during a burst: the operator's call counter
 * read once a second on a thread of its own, and the busiest second and the mean reported.
 */
final class CallRate implements AutoCloseable {
  /** Calls per second: the highest one-second count and the mean over the sampled time. */
  record Figures(double peak, double mean, int seconds) {}

  private final DoubleSupplier calls;
  private final List<Double> perSecond = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;

  private CallRate(DoubleSupplier calls) {
    this.calls = calls;
    this.sampler = new Thread(this::sample, "bench-call-rate");
    this.sampler.setDaemon(true);
  }

  static CallRate start(DoubleSupplier calls) {
    CallRate rate = new CallRate(calls);
    rate.sampler.start();
    return rate;
  }

  private void sample() {
    double last = calls.getAsDouble();
    long next = Clock.now() + 1_000_000_000L;
    while (running) {
      Clock.sleep(Math.max(0, (next - Clock.now()) / 1_000_000));
      next += 1_000_000_000L;
      double now = calls.getAsDouble();
      synchronized (perSecond) {
        perSecond.add(now - last);
      }
      last = now;
    }
  }

  Figures figures() {
    synchronized (perSecond) {
      return of(perSecond);
    }
  }

  static Figures of(List<Double> perSecond) {
    double peak = perSecond.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double mean = perSecond.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return new Figures(peak, mean, perSecond.size());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join();
  }
}
