package io.keywarden.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles: the value at or below which p percent of the samples lie. */
final class Percentiles {
  private final double[] sorted;

  Percentiles(Collection<? extends Number> samples) {
    this.sorted = samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
  }

  Percentiles(double... samples) {
    this.sorted = Arrays.stream(samples).sorted().toArray();
  }

  /** p in (0, 100]; NaN without samples. */
  double at(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("p must be in (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
