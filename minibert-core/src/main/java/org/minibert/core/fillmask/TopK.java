package org.minibert.core.fillmask;

import java.util.function.IntPredicate;

/** The k best scores of a vector among the allowed indices. */
public final class TopK {
  private TopK() {}

  /**
   * {@code log(sum(exp(scores)))}, computed without overflow: the normaliser of a softmax, so that
   * the probability of index i is {@code exp(scores[i] - logSumExp(scores))}.
   */
  public static double logSumExp(float[] scores) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : scores) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : scores) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /**
   * The indices of the {@code k} largest scores among those {@code allowed} accepts, best first;
   * ties keep the lower index first. Fewer than {@code k} when fewer are allowed.
   */
  public static int[] indices(float[] scores, int k, IntPredicate allowed) {
    int[] best = new int[Math.max(0, Math.min(k, scores.length))];
    int filled = 0;
    for (int i = 0; i < scores.length; i++) {
      float v = scores[i];
      // the cheap comparison first: once the k places are filled, most scores fall below the last
      if (filled == best.length && (best.length == 0 || v <= scores[best[filled - 1]])) {
        continue;
      }
      if (!allowed.test(i)) {
        continue;
      }
      int at = filled < best.length ? filled++ : best.length - 1;
      while (at > 0 && scores[best[at - 1]] < v) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
    return filled == best.length ? best : java.util.Arrays.copyOf(best, filled);
  }
}
