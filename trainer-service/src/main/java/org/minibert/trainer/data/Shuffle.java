package org.minibert.trainer.data;

import java.util.SplittableRandom;

/**
 * Seeded Fisher-Yates shuffles: the one source of the project's random orders (the validation
 * documents, the masked positions, each epoch's order, the validation subset), so that a seed means
 * the same order everywhere.
 */
public final class Shuffle {
  private Shuffle() {}

  /** Shuffles {@code values} in place. */
  public static void inPlace(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  /** 0..n-1 in a random order. */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    inPlace(order, random);
    return order;
  }
}
