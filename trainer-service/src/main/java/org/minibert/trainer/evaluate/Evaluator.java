package org.minibert.trainer.evaluate;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.minibert.trainer.data.BatchBuilder;
import org.minibert.trainer.data.BatchTensors;
import org.minibert.trainer.data.Shuffle;
import org.minibert.trainer.data.TrainingData;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.model.PreTrainingLoss;

/**
 * Held-out figures: masked-LM and next-sentence loss and accuracy over a fixed subset of the
 * validation instances, with fixed masks and without dropout, so evaluations along a run (and
 * across runs on the same data) compare.
 */
public final class Evaluator {
  /**
   * The figures of one evaluation; losses are means over masked tokens (MLM) and sequences (NSP).
   */
  public record Result(
      double mlmLoss, double nspLoss, double mlmAccuracy, double nspAccuracy, int instances) {
    /** MLM + NSP, or MLM alone where the instances had no next-sentence label (NSP is NaN). */
    public double loss() {
      return Double.isNaN(nspLoss) ? mlmLoss : mlmLoss + nspLoss;
    }
  }

  private final BatchBuilder val;
  private final int[] subset;
  private final int batchSize;

  /**
   * @param maxInstances how many validation instances to use (0 = all); a choice fixed by {@link
   *     TrainingData#VALIDATION_SEED}, the same at every call and in every run on the data set
   * @param batchSize sequences per forward pass: the training batch size, so evaluating never
   *     raises the memory high-water mark above training's (the allocator keeps what a larger batch
   *     took)
   */
  public Evaluator(BatchBuilder val, int maxInstances, int batchSize) {
    this.val = val;
    this.batchSize = batchSize;
    int total = val.size();
    if (maxInstances > 0 && maxInstances < total) {
      int[] chosen =
          Arrays.copyOf(
              Shuffle.permutation(total, new SplittableRandom(TrainingData.VALIDATION_SEED)),
              maxInstances);
      Arrays.sort(chosen);
      this.subset = chosen;
    } else {
      this.subset = java.util.stream.IntStream.range(0, total).toArray();
    }
  }

  public boolean isEmpty() {
    return subset.length == 0;
  }

  /** Validation instances per evaluation. */
  public int size() {
    return subset.length;
  }

  public Result evaluate(BertForPreTraining model, ParameterStore ps, NDManager manager) {
    PreTrainingLoss loss = new PreTrainingLoss();
    double mlmLossSum = 0;
    double nspLossSum = 0;
    double mlmCorrect = 0;
    double mlmCount = 0;
    double nspCorrect = 0;
    for (int start = 0; start < subset.length; start += batchSize) {
      int[] ids = Arrays.copyOfRange(subset, start, Math.min(subset.length, start + batchSize));
      try (NDManager scope = manager.newSubManager()) {
        BatchTensors t = BatchTensors.of(scope, val.build(ids, 0));
        NDList out =
            model.forward(
                ps, t.inputIds(), t.tokenTypeIds(), t.attentionMask(), t.maskedPositions(), false);
        PreTrainingLoss.Output o = loss.compute(t.labels(), out);
        double count = o.mlmCount().getFloat();
        mlmLossSum += o.mlm().getFloat() * count;
        mlmCount += count;
        mlmCorrect += o.mlmCorrect().getFloat();
        nspLossSum += o.nsp().getFloat() * ids.length;
        nspCorrect += o.nspCorrect().getFloat();
      }
    }
    int n = subset.length;
    boolean nsp = val.pairs(); // contiguous text has no next sentence to score
    return new Result(
        mlmCount == 0 ? 0 : mlmLossSum / mlmCount,
        !nsp ? Double.NaN : n == 0 ? 0 : nspLossSum / n,
        mlmCount == 0 ? 0 : mlmCorrect / mlmCount,
        !nsp ? Double.NaN : n == 0 ? 0 : nspCorrect / n,
        n);
  }
}
