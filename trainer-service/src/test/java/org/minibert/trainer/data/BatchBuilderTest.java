package org.minibert.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.tokenizer.SpecialTokens;

class BatchBuilderTest {
  private static final int VOCAB = 3000;
  @TempDir static Path dir;
  static TokenizedSplit split;
  static EpochInstances epochs;
  static Instances instances;
  static boolean[] noContinuations = new boolean[VOCAB];

  @BeforeAll
  static void generate() throws IOException {
    split = SyntheticSplits.write(dir.resolve("train"), 1500, 12, 40, VOCAB, 7);
    epochs = new EpochInstances(InstanceGenerator.sentencePairs(128, 0.1), split, 42, true);
    instances = epochs.forEpoch(0);
  }

  private static BatchBuilder builder(MaskingPolicy policy) {
    return new BatchBuilder(split, epochs, policy, noContinuations, 42);
  }

  private static int[] all() {
    return IntStream.range(0, instances.size()).toArray();
  }

  @Test
  void masksFifteenPercentWithEightyTenTenReplacement() {
    BatchBuilder builder = builder(MaskingPolicy.of(0.15, 128, false, true));
    int[] ids = all();
    PretrainingBatch batch = builder.build(ids, 0);

    int[] originalRow = new int[128];
    long realTokens = 0;
    long masked = 0;
    long asMask = 0;
    long unchanged = 0;
    for (int b = 0; b < batch.batchSize(); b++) {
      int length = builder.layOut(instances, ids[b], originalRow);
      realTokens += length - 3;
      for (int s = 0; s < batch.predictions(); s++) {
        int slot = b * batch.predictions() + s;
        if (batch.maskedWeights()[slot] == 0) {
          continue;
        }
        masked++;
        int pos = batch.maskedPositions()[slot];
        int now = batch.inputIds()[b * batch.seqLen() + pos];
        assertThat(originalRow[pos])
            .as("a special token was masked")
            .isGreaterThanOrEqualTo(SpecialTokens.ALL.size());
        assertThat(batch.maskedIds()[slot]).isEqualTo(originalRow[pos]);
        asMask += now == SpecialTokens.MASK_ID ? 1 : 0;
        unchanged += now == originalRow[pos] ? 1 : 0;
      }
    }
    double share = (double) masked / realTokens;
    assertThat(share).isBetween(0.14, 0.16);
    assertThat((double) asMask / masked).isBetween(0.78, 0.82);
    // a random replacement hits the original token 1 time in ~3000: "unchanged" is 10% plus that
    // sliver
    assertThat((double) unchanged / masked).isBetween(0.08, 0.12);
    assertThat((double) (masked - asMask - unchanged) / masked).isBetween(0.08, 0.12);
  }

  @Test
  void layoutHasSegmentsPaddingAndLabels() {
    BatchBuilder builder = builder(MaskingPolicy.of(0.15, 128, false, true));
    int[] ids = {0, 1, 2, 3};
    PretrainingBatch batch = builder.build(ids, 0);
    for (int b = 0; b < ids.length; b++) {
      int id = ids[b];
      int length = instances.sequenceLength(id);
      int row = b * batch.seqLen();
      assertThat(batch.inputIds()[row]).isEqualTo(SpecialTokens.CLS_ID);
      assertThat(batch.inputIds()[row + instances.aLength(id) + 1]).isEqualTo(SpecialTokens.SEP_ID);
      assertThat(batch.inputIds()[row + length - 1]).isEqualTo(SpecialTokens.SEP_ID);
      assertThat(batch.tokenTypeIds()[row + instances.aLength(id) + 1]).isZero();
      assertThat(batch.tokenTypeIds()[row + instances.aLength(id) + 2]).isEqualTo(1);
      for (int p = 0; p < batch.seqLen(); p++) {
        assertThat(batch.attentionMask()[row + p]).isEqualTo(p < length ? 1 : 0);
        if (p >= length) {
          assertThat(batch.inputIds()[row + p]).isEqualTo(SpecialTokens.PAD_ID);
          assertThat(batch.tokenTypeIds()[row + p]).isZero();
        }
      }
      assertThat(batch.nspLabels()[b]).isEqualTo(instances.randomNext(id) ? 1 : 0);
    }
  }

  @Test
  void masksAreReproducibleAndDependOnlyOnInstanceAndEpoch() {
    BatchBuilder builder = builder(MaskingPolicy.of(0.15, 128, false, true));
    PretrainingBatch together = builder.build(new int[] {5, 9}, 3);
    PretrainingBatch alone = builder.build(new int[] {9}, 3);
    int p = together.predictions();
    for (int s = 0; s < p; s++) {
      assertThat(alone.maskedPositions()[s]).isEqualTo(together.maskedPositions()[p + s]);
    }
    PretrainingBatch nextEpoch = builder.build(new int[] {9}, 4);
    assertThat(nextEpoch.maskedPositions()).isNotEqualTo(alone.maskedPositions());

    // static masking keeps the pairs too (as TrainingData does): the same instance, the same masks
    EpochInstances samePairs =
        new EpochInstances(InstanceGenerator.sentencePairs(128, 0.1), split, 42, false);
    BatchBuilder fixed =
        new BatchBuilder(
            split, samePairs, new MaskingPolicy(0.15, 20, false, false), noContinuations, 42);
    assertThat(fixed.build(new int[] {9}, 4).maskedPositions())
        .isEqualTo(fixed.build(new int[] {9}, 0).maskedPositions());
  }

  @Test
  void everyEpochDrawsNewPairsOfTheSameCountWhileValidationKeepsItsOwn() {
    EpochInstances fresh =
        new EpochInstances(InstanceGenerator.sentencePairs(128, 0.1), split, 42, true);
    Instances first = fresh.forEpoch(0);
    Instances second = fresh.forEpoch(1);
    // new cuts and partners: the A/B ranges of the second epoch are not the first's
    int same = 0;
    int compared = Math.min(first.size(), second.size());
    for (int i = 0; i < compared; i++) {
      same += first.aStart(i) == second.aStart(i) && first.bStart(i) == second.bStart(i) ? 1 : 0;
    }
    assertThat(same).isLessThan(compared / 2);
    // the same epoch is the same pairs whenever it is asked for (resume), and every epoch trains as
    // many as epoch 0
    assertThat(fresh.forEpoch(1).aStart(7)).isEqualTo(second.aStart(7));
    for (int epoch = 0; epoch < 4; epoch++) {
      int[] order = fresh.order(epoch);
      assertThat(order).hasSize(fresh.perEpoch());
      int available = fresh.forEpoch(epoch).size();
      assertThat(java.util.Arrays.stream(order).allMatch(id -> id >= 0 && id < available)).isTrue();
    }
    assertThat(fresh.order(2)).isEqualTo(fresh.order(2)).isNotEqualTo(fresh.order(3));
    EpochInstances fixed =
        new EpochInstances(InstanceGenerator.sentencePairs(128, 0.1), split, 42, false);
    assertThat(fixed.forEpoch(5)).isSameAs(fixed.forEpoch(0));
  }

  @Test
  void wholeWordMaskingMasksAllPiecesOfAWord() {
    boolean[] continuation = new boolean[VOCAB];
    // make every other id a continuation piece
    for (int id = SpecialTokens.ALL.size(); id < VOCAB; id += 2) {
      continuation[id] = true;
    }
    BatchBuilder builder =
        new BatchBuilder(split, epochs, new MaskingPolicy(0.15, 20, true, true), continuation, 42);
    int[] ids = IntStream.range(0, 300).toArray();
    PretrainingBatch batch = builder.build(ids, 0);
    int[] row = new int[128];
    for (int b = 0; b < ids.length; b++) {
      int length = builder.layOut(instances, ids[b], row);
      boolean[] chosen = new boolean[length];
      for (int s = 0; s < batch.predictions(); s++) {
        int slot = b * batch.predictions() + s;
        if (batch.maskedWeights()[slot] > 0) {
          chosen[batch.maskedPositions()[slot]] = true;
        }
      }
      int aEnd = instances.aLength(ids[b]) + 1;
      for (int p = 2; p < length - 1; p++) {
        if (p != aEnd && p - 1 != aEnd && continuation[row[p]]) {
          assertThat(chosen[p]).as("piece %d of row %d", p, b).isEqualTo(chosen[p - 1]);
        }
      }
    }
  }

  @Test
  void aWordCanKeepItsEndingVisibleAsAClozeQuestionShowsIt() throws IOException {
    // words of three pieces: start ## ## (a stem and its particle, in Korean)
    int start = SyntheticSplits.WORD_START;
    boolean[] continuation = SyntheticSplits.wordsContinuation(VOCAB);
    TokenizedSplit words =
        SyntheticSplits.words(
            dir.resolve("words"), java.util.Collections.nCopies(50, new int[] {10, 10}));
    EpochInstances pairs =
        new EpochInstances(InstanceGenerator.sentencePairs(128, 0), words, 1, false);
    for (double keep : new double[] {0, 1}) {
      BatchBuilder builder =
          new BatchBuilder(
              words, pairs, new MaskingPolicy(0.15, 20, true, true, keep), continuation, 3);
      int[] ids = IntStream.range(0, pairs.perEpoch()).toArray();
      PretrainingBatch batch = builder.build(ids, 0);
      int[] row = new int[128];
      int masked = 0;
      for (int b = 0; b < ids.length; b++) {
        int length = builder.layOut(pairs.forEpoch(0), ids[b], row);
        boolean[] chosen = new boolean[length];
        for (int s = 0; s < batch.predictions(); s++) {
          int slot = b * batch.predictions() + s;
          if (batch.maskedWeights()[slot] > 0) {
            chosen[batch.maskedPositions()[slot]] = true;
          }
        }
        for (int p = 1; p + 2 < length; p++) {
          if (chosen[p] && row[p] == start) {
            masked++;
            assertThat(chosen[p + 1]).as("the piece after the start").isTrue();
            // kept: the last piece shows; not kept: it is masked with the rest of the word
            assertThat(chosen[p + 2])
                .as("the word's last piece, keep=%s", keep)
                .isEqualTo(keep == 0);
          }
        }
      }
      assertThat(masked).isGreaterThan(20);
    }
  }
}
