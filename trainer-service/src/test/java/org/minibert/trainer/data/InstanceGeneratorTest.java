package org.minibert.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceGeneratorTest {
  private static final int VOCAB = 3000;
  @TempDir static Path dir;
  static TokenizedSplit split;
  static Instances instances;

  @BeforeAll
  static void generate() throws IOException {
    split = SyntheticSplits.write(dir.resolve("train"), 2000, 12, 40, VOCAB, 1);
    instances = new InstanceGenerator(128, 0.1, new boolean[VOCAB]).generate(split, 42);
  }

  @Test
  void everyInstanceFitsTheSequenceLength() {
    assertThat(instances.size()).isGreaterThan(2000);
    for (int i = 0; i < instances.size(); i++) {
      assertThat(instances.sequenceLength(i)).isLessThanOrEqualTo(128);
      assertThat(instances.aLength(i)).isPositive();
      assertThat(instances.bLength(i)).isPositive();
    }
  }

  @Test
  void nextSentenceLabelsAreBalanced() {
    int random = 0;
    for (int i = 0; i < instances.size(); i++) {
      random += instances.randomNext(i) ? 1 : 0;
    }
    assertThat((double) random / instances.size()).isBetween(0.47, 0.53);
  }

  @Test
  void actualNextFollowsInTheSameDocumentAndRandomNextComesFromAnother() {
    for (int i = 0; i < instances.size(); i++) {
      int aDoc = split.token(instances.aStart(i));
      int bDoc = split.token(instances.bStart(i));
      if (instances.randomNext(i)) {
        assertThat(bDoc).as("instance %d", i).isNotEqualTo(aDoc);
      } else {
        assertThat(bDoc).as("instance %d", i).isEqualTo(aDoc);
        // truncation may trim the end of A, so B starts at or after it
        assertThat(instances.bStart(i))
            .isGreaterThanOrEqualTo(instances.aStart(i) + instances.aLength(i));
      }
    }
  }

  @Test
  void aSentenceIsOnlyCutAtAWordStartSoBNeverGivesTheLabelAway() throws IOException {
    // one-sentence documents of words "start ## ##": an "actual next" pair must cut the sentence
    // itself
    int start = SyntheticSplits.WORD_START;
    boolean[] continuation = SyntheticSplits.wordsContinuation(VOCAB);
    java.util.List<int[]> documents = new java.util.ArrayList<>();
    for (int d = 0; d < 500; d++) {
      documents.add(new int[] {1 + d % 8});
    }
    TokenizedSplit words = SyntheticSplits.words(dir.resolve("words"), documents);
    Instances pairs = new InstanceGenerator(128, 0.1, continuation).generate(words, 7);
    int actualNext = 0;
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(words.token(pairs.bStart(i))).as("B of instance %d", i).isEqualTo(start);
      actualNext += pairs.randomNext(i) ? 0 : 1;
    }
    assertThat(actualNext).isGreaterThan(100);
  }

  @Test
  void sameSeedSameInstances() {
    Instances again = new InstanceGenerator(128, 0.1, new boolean[VOCAB]).generate(split, 42);
    Instances other = new InstanceGenerator(128, 0.1, new boolean[VOCAB]).generate(split, 43);
    assertThat(again.size()).isEqualTo(instances.size());
    boolean differs = false;
    for (int i = 0; i < instances.size(); i++) {
      assertThat(again.aStart(i)).isEqualTo(instances.aStart(i));
      assertThat(again.bStart(i)).isEqualTo(instances.bStart(i));
      assertThat(again.randomNext(i)).isEqualTo(instances.randomNext(i));
      differs |= i < other.size() && other.bStart(i) != instances.bStart(i);
    }
    assertThat(differs).isTrue();
  }

  @Test
  void shortSequencesAppearAtAboutTheirProbability() {
    Instances none = new InstanceGenerator(128, 0.0, new boolean[VOCAB]).generate(split, 42);
    double meanAll = meanLength(instances);
    double meanNone = meanLength(none);
    assertThat(meanAll).isLessThan(meanNone);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new InstanceGenerator(4, 0.1, new boolean[VOCAB]))
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> new InstanceGenerator(128, 1.5, new boolean[VOCAB]))
        .hasMessageContaining("probability");
  }

  private static double meanLength(Instances instances) {
    long sum = 0;
    for (int i = 0; i < instances.size(); i++) {
      sum += instances.sequenceLength(i);
    }
    return (double) sum / instances.size();
  }
}
