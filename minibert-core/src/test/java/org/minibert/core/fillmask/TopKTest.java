package org.minibert.core.fillmask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

  @Test
  void logSumExpMatchesTheDirectSumAndSurvivesLargeScores() {
    Random random = new Random(7);
    float[] scores = new float[8000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) (random.nextGaussian() * 4);
    }
    double direct = 0;
    for (float v : scores) {
      direct += Math.exp(v);
    }
    assertEquals(Math.log(direct), TopK.logSumExp(scores), 1e-6);
    // shifted by 1000: exp would overflow, the normaliser shifts with the scores
    float[] shifted = new float[] {1000f, 1000f};
    assertEquals(1000 + Math.log(2), TopK.logSumExp(shifted), 1e-4);
  }

  @Test
  void indicesAreTheBestAllowedBestFirstWithTiesInIndexOrder() {
    float[] scores = {0.5f, 3f, 2f, 3f, -1f, 2.5f, 9f};
    // index 6 is the best score but not allowed
    assertArrayEquals(new int[] {1, 3, 5}, TopK.indices(scores, 3, i -> i != 6));
    assertArrayEquals(new int[] {6, 1, 3, 5, 2}, TopK.indices(scores, 5, i -> true));
    // fewer allowed than asked for
    assertArrayEquals(new int[] {2, 0}, TopK.indices(scores, 4, i -> i == 0 || i == 2));
    assertArrayEquals(new int[0], TopK.indices(scores, 0, i -> true));
  }

  @Test
  void indicesAgreeWithASortOnRandomScores() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      float[] scores = new float[300];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = random.nextInt(50); // many ties
      }
      java.util.function.IntPredicate allowed = i -> i % 3 != 0;
      int[] expected =
          java.util.stream.IntStream.range(0, scores.length)
              .filter(allowed)
              .boxed()
              .sorted(
                  (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : a - b)
              .limit(7)
              .mapToInt(Integer::intValue)
              .toArray();
      assertArrayEquals(expected, TopK.indices(scores, 7, allowed));
    }
  }
}
