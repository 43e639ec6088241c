package org.minibert.trainer.train;

/**
 * The one-cycle learning-rate schedule (Smith & Topin), with PyTorch {@code OneCycleLR}'s defaults:
 * the rate rises from {@code maxLr / 25} to {@code maxLr} over the first 30% of the steps, then
 * anneals to {@code maxLr / 25 / 10^4}, both phases along a cosine. The reference experiment found
 * {@code maxLr = 1e-3} best for this model size, with 1.5e-3 and above diverging.
 */
public final class OneCycleSchedule {
  public static final double DEFAULT_WARMUP_FRACTION = 0.3;
  public static final double DEFAULT_DIV_FACTOR = 25;
  public static final double DEFAULT_FINAL_DIV_FACTOR = 1e4;

  private final double maxLr;
  private final double initialLr;
  private final double finalLr;
  private final long totalSteps;
  private final double peakStep;

  public OneCycleSchedule(double maxLr, long totalSteps) {
    this(maxLr, totalSteps, DEFAULT_WARMUP_FRACTION, DEFAULT_DIV_FACTOR, DEFAULT_FINAL_DIV_FACTOR);
  }

  public OneCycleSchedule(
      double maxLr,
      long totalSteps,
      double warmupFraction,
      double divFactor,
      double finalDivFactor) {
    if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
      throw new IllegalArgumentException(
          "max learning rate must be a positive number, got " + maxLr);
    }
    if (totalSteps < 1) {
      throw new IllegalArgumentException("total steps must be at least 1, got " + totalSteps);
    }
    if (!(warmupFraction > 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException(
          "warm-up fraction must be in (0, 1), got " + warmupFraction);
    }
    this.maxLr = maxLr;
    this.initialLr = maxLr / divFactor;
    this.finalLr = initialLr / finalDivFactor;
    this.totalSteps = totalSteps;
    this.peakStep = Math.max(1, warmupFraction * totalSteps - 1);
  }

  /** Learning rate for a 0-based step; steps past the end keep the final rate. */
  public double learningRate(long step) {
    if (step <= peakStep) {
      return cosine(initialLr, maxLr, step / peakStep);
    }
    double decaySteps = Math.max(1, totalSteps - 1 - peakStep);
    return cosine(maxLr, finalLr, Math.min(1, (step - peakStep) / decaySteps));
  }

  public double maxLr() {
    return maxLr;
  }

  public long totalSteps() {
    return totalSteps;
  }

  private static double cosine(double from, double to, double fraction) {
    return to + (from - to) / 2 * (1 + Math.cos(Math.PI * fraction));
  }
}
