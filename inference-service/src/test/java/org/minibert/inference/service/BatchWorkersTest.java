package org.minibert.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many batch workers {@code minibert.batch.workers} gives. */
class BatchWorkersTest {

  @Test
  void zeroGivesOnePerProcessorForEachIntraOpThread() {
    assertThat(InferenceService.workers(0, 1, 2)).isEqualTo(2);
    assertThat(InferenceService.workers(0, 1, 16)).isEqualTo(16);
    assertThat(InferenceService.workers(0, 2, 8)).isEqualTo(4);
    assertThat(InferenceService.workers(0, 3, 8)).isEqualTo(2);
    assertThat(InferenceService.workers(0, 4, 2)).as("at least one").isEqualTo(1);
    assertThat(InferenceService.workers(0, 0, 8)).as("ONNX Runtime's own pool").isEqualTo(1);
  }

  @Test
  void aSetCountIsKeptAsSet() {
    assertThat(InferenceService.workers(3, 1, 2)).isEqualTo(3);
    assertThat(InferenceService.workers(-1, 1, 2)).as("refused by the batcher").isEqualTo(-1);
  }
}
