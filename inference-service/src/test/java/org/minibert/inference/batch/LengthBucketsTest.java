package org.minibert.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {
  private static final ToIntFunction<Integer> LENGTH = Integer::intValue;

  @Test
  void sortsAndSplitsWhereARunWouldGrowMoreThanAQuarterPlusTwo() {
    assertThat(LengthBuckets.split(List.of(60, 10, 12, 13, 50, 11), LENGTH))
        .containsExactly(List.of(10, 11, 12), List.of(13), List.of(50, 60));
  }

  @Test
  void shortInputsMayDifferByTwoTokens() {
    assertThat(LengthBuckets.split(List.of(5, 3, 4), LENGTH)).containsExactly(List.of(3, 4, 5));
    assertThat(LengthBuckets.split(List.of(), LENGTH)).isEmpty();
  }
}
