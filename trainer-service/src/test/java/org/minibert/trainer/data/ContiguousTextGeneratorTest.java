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
}
