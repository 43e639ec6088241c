package org.minibert.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * Turns instances into padded, masked batches. Masks depend only on (seed, epoch, instance), never
 * on batch composition or order, so a resumed run sees exactly the masks an uninterrupted run
 * would.
 */
public final class BatchBuilder {
  private final TokenizedSplit split;
  private final EpochInstances instances;
  private final MaskingPolicy policy;
  private final int vocabSize;
  private final boolean[] continuation;
  private final long seed;

  /**
   * @param continuation for each token id, whether it is a "##" continuation piece (used by
   *     whole-word masking)
   */
  public BatchBuilder(
      TokenizedSplit split,
      EpochInstances instances,
      MaskingPolicy policy,
      boolean[] continuation,
      long seed) {
    if (continuation.length <= SpecialTokens.ALL.size()) {
      throw new IllegalArgumentException(
          "vocabulary of " + continuation.length + " tokens has no room beside the special tokens");
    }
    this.split = split;
    this.instances = instances;
    this.policy = policy;
    this.vocabSize = continuation.length;
    this.continuation = continuation;
    this.seed = seed;
  }

  /** The split the instances come from. */
  public TokenizedSplit split() {
    return split;
  }

  /** Whether the instances are sentence pairs, whose next-sentence label can be scored. */
  public boolean pairs() {
    return instances.pairs();
  }

  /** Instances per epoch. */
  public int size() {
    return instances.perEpoch();
  }

  /** The instances of an epoch. */
  public Instances instances(int epoch) {
    return instances.forEpoch(epoch);
  }

  /** The epoch's instance ids in training order ({@link EpochInstances#order}). */
  public int[] order(int epoch) {
    return instances.order(epoch);
  }

  /** Builds the batch of the given instances of {@code epoch}, with that epoch's masks. */
  public PretrainingBatch build(int[] instanceIds, int epoch) {
    Instances instances = this.instances.forEpoch(epoch);
    int batch = instanceIds.length;
    int seqLen = 0;
    for (int id : instanceIds) {
      seqLen = Math.max(seqLen, instances.sequenceLength(id));
    }
    int predictions = policy.maxPredictions();
    int[] inputIds = new int[batch * seqLen];
    int[] typeIds = new int[batch * seqLen];
    int[] attention = new int[batch * seqLen];
    int[] maskedPositions = new int[batch * predictions];
    int[] maskedIds = new int[batch * predictions];
    float[] maskedWeights = new float[batch * predictions];
    int[] nspLabels = new int[batch];
    int[] row = new int[seqLen];

    for (int b = 0; b < batch; b++) {
      int id = instanceIds[b];
      int length = layOut(instances, id, row);
      System.arraycopy(row, 0, inputIds, b * seqLen, length);
      int bStartPos = instances.aLength(id) + 2;
      Arrays.fill(typeIds, b * seqLen + bStartPos, b * seqLen + length, 1);
      Arrays.fill(attention, b * seqLen, b * seqLen + length, 1);
      nspLabels[b] = instances.randomNext(id) ? 1 : 0;
      mask(
          instances,
          id,
          epoch,
          inputIds,
          b * seqLen,
          length,
          maskedPositions,
          maskedIds,
          maskedWeights,
          b * predictions);
    }
    return new PretrainingBatch(
        batch,
        seqLen,
        predictions,
        inputIds,
        typeIds,
        attention,
        maskedPositions,
        maskedIds,
        maskedWeights,
        nspLabels);
  }

  /**
   * Writes {@code [CLS] A [SEP] B [SEP]} (or {@code [CLS] A [SEP]}) of an instance into {@code
   * row}; returns its length.
   */
  int layOut(Instances instances, int id, int[] row) {
    int aLength = instances.aLength(id);
    row[0] = SpecialTokens.CLS_ID;
    split.copyTokens(instances.aStart(id), aLength, row, 1);
    row[aLength + 1] = SpecialTokens.SEP_ID;
    if (!instances.isPair(id)) {
      return aLength + 2;
    }
    int bLength = instances.bLength(id);
    split.copyTokens(instances.bStart(id), bLength, row, aLength + 2);
    row[aLength + bLength + 2] = SpecialTokens.SEP_ID;
    return aLength + bLength + 3;
  }

  private void mask(
      Instances instances,
      int id,
      int epoch,
      int[] tokens,
      int offset,
      int length,
      int[] positions,
      int[] labels,
      float[] weights,
      int slot) {
    SplittableRandom random = new SplittableRandom(maskSeed(id, policy.dynamic() ? epoch : 0));
    int aLength = instances.aLength(id);
    int[] candidates = candidatePositions(tokens, offset, length, aLength);
    int realTokens = length - (instances.isPair(id) ? 3 : 2);
    // Stochastic rounding keeps the expected share at exactly maskProbability, short sequences
    // included.
    double expected = realTokens * policy.maskProbability();
    int toPredict = (int) expected + (random.nextDouble() < expected - (int) expected ? 1 : 0);
    toPredict = Math.max(1, Math.min(policy.maxPredictions(), toPredict));

    Shuffle.inPlace(candidates, random);
    boolean[] chosen = new boolean[length];
    int count = 0;
    for (int c = 0; c < candidates.length && count < toPredict; c++) {
      int start = candidates[c];
      int end = start + 1;
      if (policy.wholeWordMasking()) {
        while (end < length && isContinuationAt(tokens, offset, end, aLength, length)) {
          end++;
        }
        if (end - start >= 2
            && policy.keepEnding() > 0
            && random.nextDouble() < policy.keepEnding()) {
          end--; // the word's last piece (its particle or ending, in Korean) stays visible
        }
        if (count + (end - start) > toPredict) {
          continue;
        }
      }
      for (int p = start; p < end; p++) {
        chosen[p] = true;
        count++;
      }
    }

    int s = slot;
    for (int p = 0; p < length; p++) {
      if (!chosen[p]) {
        continue;
      }
      int original = tokens[offset + p];
      positions[s] = p;
      labels[s] = original;
      weights[s] = 1f;
      s++;
      double r = random.nextDouble();
      if (r < MaskingPolicy.REPLACE_WITH_MASK) {
        tokens[offset + p] = SpecialTokens.MASK_ID;
      } else if (r < MaskingPolicy.REPLACE_WITH_MASK + MaskingPolicy.REPLACE_WITH_RANDOM) {
        tokens[offset + p] = random.nextInt(SpecialTokens.ALL.size(), vocabSize);
      }
    }
  }

  /**
   * Positions that may start a masked unit: every real token, or with whole-word masking every word
   * start. Structural tokens ([CLS], [SEP]) are never candidates.
   */
  private int[] candidatePositions(int[] tokens, int offset, int length, int aLength) {
    int[] out = new int[length];
    int n = 0;
    for (int p = 1; p < length - 1; p++) {
      if (p == aLength + 1) {
        continue; // the middle [SEP]
      }
      if (policy.wholeWordMasking() && isContinuationAt(tokens, offset, p, aLength, length)) {
        continue;
      }
      out[n++] = p;
    }
    return Arrays.copyOf(out, n);
  }

  private boolean isContinuationAt(int[] tokens, int offset, int p, int aLength, int length) {
    if (p == aLength + 1 || p >= length - 1) {
      return false;
    }
    return continuation[tokens[offset + p]];
  }

  private long maskSeed(int instance, int epoch) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = h * 0xBF58476D1CE4E5B9L + instance;
    return h ^ (h >>> 31);
  }
}
