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
    instances = InstanceGenerator.sentencePairs(128, 0.1).generate(split, 42);
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
  void chunksOfSeveralSentencesDrawTheLabelByAFairCoin() throws IOException {
    // documents of many short sentences: every chunk holds several, so the coin alone decides
    TokenizedSplit shortSentences = uniformDocuments(dir.resolve("short"), 200, 60, 3);
    Instances pairs = InstanceGenerator.sentencePairs(128, 0).generate(shortSentences, 3);
    int random = 0;
    for (int i = 0; i < pairs.size(); i++) {
      random += pairs.randomNext(i) ? 1 : 0;
    }
    assertThat((double) random / pairs.size()).isBetween(0.45, 0.55);
  }

  @Test
  void aOneSentenceChunkAlwaysGetsARandomNext() throws IOException {
    // one sentence per document, as BERT: "actual next" would need a second sentence
    TokenizedSplit single = uniformDocuments(dir.resolve("single"), 300, 1, 20);
    Instances pairs = InstanceGenerator.sentencePairs(128, 0.1).generate(single, 5);
    assertThat(pairs.size()).isEqualTo(300);
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(pairs.randomNext(i)).as("instance %d", i).isTrue();
    }
  }

  @Test
  void aAndBAreWholeSentencesSoWhereAEndsTellsNothingOfTheLabel() throws IOException {
    // no truncation at this length: A and B are exactly the sentences the chunk was cut into
    Instances pairs = InstanceGenerator.sentencePairs(512, 0.1).generate(split, 11);
    java.util.Set<Long> sentenceStarts = new java.util.HashSet<>();
    for (long s = 0; s <= split.sentenceCount(); s++) {
      sentenceStarts.add(split.sentenceStart(s));
    }
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(sentenceStarts)
          .as("instance %d", i)
          .contains(
              pairs.aStart(i),
              pairs.aStart(i) + pairs.aLength(i),
              pairs.bStart(i),
              pairs.bStart(i) + pairs.bLength(i));
    }
  }

  @Test
  void theShortTargetLengthIsDrawnOncePerDocument() throws IOException {
    // sentences of one token: every chunk but a document's last is exactly the target length
    TokenizedSplit ones = uniformDocuments(dir.resolve("ones"), 40, 300, 1);
    Instances pairs = InstanceGenerator.sentencePairs(128, 1.0).generate(ones, 9);
    java.util.Map<Integer, java.util.Set<Integer>> lengths = new java.util.HashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      int doc = ones.token(pairs.aStart(i));
      long bEnd = pairs.bStart(i) + pairs.bLength(i);
      boolean lastChunk = bEnd == ones.sentenceStart(ones.firstSentence(doc - 5) + 300);
      if (!pairs.randomNext(i) && !lastChunk) {
        lengths
            .computeIfAbsent(doc, d -> new java.util.HashSet<>())
            .add(pairs.aLength(i) + pairs.bLength(i));
      }
    }
    assertThat(lengths).hasSizeGreaterThan(30);
    assertThat(lengths.values()).allSatisfy(set -> assertThat(set).hasSize(1));
    assertThat(lengths.values().stream().flatMap(java.util.Set::stream).distinct().count())
        .as("documents draw different targets")
        .isGreaterThan(10);
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
  void sameSeedSameInstances() {
    Instances again = InstanceGenerator.sentencePairs(128, 0.1).generate(split, 42);
    Instances other = InstanceGenerator.sentencePairs(128, 0.1).generate(split, 43);
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
    Instances none = InstanceGenerator.sentencePairs(128, 0.0).generate(split, 42);
    double meanAll = meanLength(instances);
    double meanNone = meanLength(none);
    assertThat(meanAll).isLessThan(meanNone);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> InstanceGenerator.sentencePairs(4, 0.1))
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> InstanceGenerator.sentencePairs(128, 1.5))
        .hasMessageContaining("probability");
  }

  /**
   * {@code documents} documents of {@code sentences} sentences of {@code length} tokens; every
   * token of document d is {@code 5 + d}.
   */
  private static TokenizedSplit uniformDocuments(Path at, int documents, int sentences, int length)
      throws IOException {
    SplitFiles files = new SplitFiles(at);
    try (SplitWriter writer = new SplitWriter(files)) {
      for (int d = 0; d < documents; d++) {
        int[] sentence = new int[length];
        java.util.Arrays.fill(sentence, 5 + d);
        writer.addDocument(java.util.Collections.nCopies(sentences, sentence));
      }
    }
    return TokenizedSplit.open(at.getFileName().toString(), files);
  }

  private static double meanLength(Instances instances) {
    long sum = 0;
    for (int i = 0; i < instances.size(); i++) {
      sum += instances.sequenceLength(i);
    }
    return (double) sum / instances.size();
  }
}
