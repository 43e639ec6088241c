package org.minibert.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContiguousTextGeneratorTest {
  @TempDir static Path dir;
  static TokenizedSplit split;
  static Instances instances;

  @BeforeAll
  static void generate() throws IOException {
    // sentences of up to 200 tokens: some longer than a sequence
    split = SyntheticSplits.write(dir.resolve("train"), 300, 12, 200, 3000, 1);
    instances = InstanceGenerator.contiguousText(128).generate(split, 42);
  }

  @Test
  void eachSequenceIsOneSegmentOfOneDocumentFillingAtMostTheSequence() {
    for (int i = 0; i < instances.size(); i++) {
      assertThat(instances.isPair(i)).isFalse();
      assertThat(instances.randomNext(i)).isFalse();
      assertThat(instances.sequenceLength(i)).isEqualTo(instances.aLength(i) + 2).isLessThan(129);
      long start = instances.aStart(i);
      assertThat(split.token(start + instances.aLength(i) - 1))
          .as("instance %d stays in its document", i)
          .isEqualTo(split.token(start));
    }
  }

  @Test
  void theSequencesCoverTheTextOnceInOrder() {
    long next = 0;
    for (int i = 0; i < instances.size(); i++) {
      assertThat(instances.aStart(i)).isEqualTo(next);
      next += instances.aLength(i);
    }
    assertThat(next).isEqualTo(split.tokenCount());
  }

  @Test
  void sequencesAreFilledWithWholeSentencesWhereTheyFit() {
    java.util.Set<Long> sentenceStarts = new java.util.HashSet<>();
    for (long s = 0; s <= split.sentenceCount(); s++) {
      sentenceStarts.add(split.sentenceStart(s));
    }
    int atSentenceStart = 0;
    for (int i = 0; i < instances.size(); i++) {
      atSentenceStart += sentenceStarts.contains(instances.aStart(i)) ? 1 : 0;
      if (i + 1 < instances.size() && instances.aLength(i) < 126) {
        // a sequence closed before it was full: the next sentence did not fit, or a document ended
        assertThat(sentenceStarts).contains(instances.aStart(i) + instances.aLength(i));
      }
    }
    assertThat(atSentenceStart).isGreaterThan(instances.size() / 2);
    double meanLength =
        java.util.stream.IntStream.range(0, instances.size())
            .map(instances::aLength)
            .average()
            .orElse(0);
    assertThat(meanLength).isGreaterThan(80);
  }

  @Test
  void aBatchOfContiguousTextIsOneSegmentWithNoNextSentence() {
    int vocab = 3000;
    EpochInstances epochs =
        new EpochInstances(InstanceGenerator.contiguousText(128), split, 42, true);
    BatchBuilder builder =
        new BatchBuilder(
            split, epochs, MaskingPolicy.of(0.15, 128, false, true), new boolean[vocab], 3);
    assertThat(builder.pairs()).isFalse();
    int[] ids = java.util.stream.IntStream.range(0, 16).toArray();
    PretrainingBatch batch = builder.build(ids, 0);
    for (int b = 0; b < ids.length; b++) {
      int length = epochs.forEpoch(0).sequenceLength(ids[b]);
      int at = b * batch.seqLen();
      assertThat(batch.inputIds()[at]).isEqualTo(org.minibert.core.tokenizer.SpecialTokens.CLS_ID);
      assertThat(batch.inputIds()[at + length - 1])
          .isEqualTo(org.minibert.core.tokenizer.SpecialTokens.SEP_ID);
      for (int p = 0; p < batch.seqLen(); p++) {
        assertThat(batch.tokenTypeIds()[at + p]).isZero();
      }
      for (int k = 0; k < batch.predictions(); k++) {
        int slot = b * batch.predictions() + k;
        if (batch.maskedWeights()[slot] > 0) {
          assertThat(batch.maskedPositions()[slot]).isBetween(1, length - 2);
        }
      }
    }
  }
}
