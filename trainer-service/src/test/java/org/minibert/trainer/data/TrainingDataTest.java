package org.minibert.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.run.TrainOptions;

class TrainingDataTest {
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void prepare() {
    data = TinyRuns.prepareSample(dir.resolve("data"), 400, 64);
  }

  @Test
  void theValidationSetIsTheDataSetsWhateverTheRunsSeed() throws IOException {
    TrainingData seven = TrainingData.open(data, TrainOptions.builder().data(data).seed(7).build());
    TrainingData other =
        TrainingData.open(data, TrainOptions.builder().data(data).seed(1234).build());
    assertThat(seven.val().size()).isPositive().isEqualTo(other.val().size());
    assertSameBatches(seven.val(), other.val());
    assertSameBatches(seven.valWholeWord(), other.valWholeWord());
    // training data does follow the seed
    int[] ids = IntStream.range(0, 8).toArray();
    assertThat(seven.train().build(ids, 0).inputIds())
        .isNotEqualTo(other.train().build(ids, 0).inputIds());
  }

  private static void assertSameBatches(BatchBuilder a, BatchBuilder b) {
    int[] all = IntStream.range(0, a.size()).toArray();
    PretrainingBatch x = a.build(all, 0);
    PretrainingBatch y = b.build(all, 0);
    assertThat(x.inputIds()).isEqualTo(y.inputIds());
    assertThat(x.maskedPositions()).isEqualTo(y.maskedPositions());
    assertThat(x.nspLabels()).isEqualTo(y.nspLabels());
  }
}
