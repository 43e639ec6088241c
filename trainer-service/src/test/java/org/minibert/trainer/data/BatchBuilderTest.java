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
  static Instances instances;
  static boolean[] noContinuations = new boolean[VOCAB];

  @BeforeAll
  static void generate() throws IOException {
    split = SyntheticSplits.write(dir.resolve("train"), 1500, 12, 40, VOCAB, 7);
    instances = new InstanceGenerator(128, 0.1, new boolean[VOCAB]).generate(split, 42);
  }

  private static BatchBuilder builder(MaskingPolicy policy) {
    return new BatchBuilder(split, instances, policy, noContinuations, 42);
  }

  private static int[] all() {
    return IntStream.range(0, instances.size()).toArray();
  }

  @Test
  void masksFifteenPercentWithEightyTenTenReplacement() {
    BatchBuilder builder = builder(MaskingPolicy.bertDefaults(128));
    int[] ids = all();
    PretrainingBatch batch = builder.build(ids, 0);

    int[] originalRow = new int[128];
    long realTokens = 0;
    long masked = 0;
    long asMask = 0;
    long unchanged = 0;
    for (int b = 0; b < batch.batchSize(); b++) {
      int length = builder.layOut(ids[b], originalRow);
      realTokens += length - 3;
      for (int s = 0; s < batch.predictions(); s++) {
        int slot = b * batch.predictions() + s;
        if (batch.maskedWeights()[slot] == 0) {
          continue;
        }
        masked++;
        int pos = batch.maskedPositions()[slot];
        int now = batch.inputIds()[b * batch.seqLen() + pos];
        assertThat(originalRow[pos]).as("a special token was masked").isGreaterThanOrEqualTo(SpecialTokens.ALL.size());
        assertThat(batch.maskedIds()[slot]).isEqualTo(originalRow[pos]);
        asMask += now == SpecialTokens.MASK_ID ? 1 : 0;
        unchanged += now == originalRow[pos] ? 1 : 0;
      }
    }
    double share = (double) masked / realTokens;
    assertThat(share).isBetween(0.14, 0.16);
    assertThat((double) asMask / masked).isBetween(0.78, 0.82);
    // a random replacement hits the original token 1 time in ~3000: "unchanged" is 10% plus that sliver
    assertThat((double) unchanged / masked).isBetween(0.08, 0.12);
    assertThat((double) (masked - asMask - unchanged) / masked).isBetween(0.08, 0.12);
  }

  @Test
  void layoutHasSegmentsPaddingAndLabels() {
    BatchBuilder builder = builder(MaskingPolicy.bertDefaults(128));
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
    BatchBuilder builder = builder(MaskingPolicy.bertDefaults(128));
    PretrainingBatch together = builder.build(new int[] {5, 9}, 3);
    PretrainingBatch alone = builder.build(new int[] {9}, 3);
    int p = together.predictions();
    for (int s = 0; s < p; s++) {
      assertThat(alone.maskedPositions()[s]).isEqualTo(together.maskedPositions()[p + s]);
    }
    PretrainingBatch nextEpoch = builder.build(new int[] {9}, 4);
    assertThat(nextEpoch.maskedPositions()).isNotEqualTo(alone.maskedPositions());

    BatchBuilder fixed = builder(new MaskingPolicy(0.15, 20, false, false));
    assertThat(fixed.build(new int[] {9}, 4).maskedPositions()).isEqualTo(fixed.build(new int[] {9}, 0).maskedPositions());
  }

  @Test
  void wholeWordMaskingMasksAllPiecesOfAWord() {
    boolean[] continuation = new boolean[VOCAB];
    // make every other id a continuation piece
    for (int id = SpecialTokens.ALL.size(); id < VOCAB; id += 2) {
      continuation[id] = true;
    }
    BatchBuilder builder = new BatchBuilder(split, instances, new MaskingPolicy(0.15, 20, true, true), continuation, 42);
    int[] ids = IntStream.range(0, 300).toArray();
    PretrainingBatch batch = builder.build(ids, 0);
    int[] row = new int[128];
    for (int b = 0; b < ids.length; b++) {
      int length = builder.layOut(ids[b], row);
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
}
