package org.minibert.trainer.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.minibert.trainer.data.BatchBuilder;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.model.PreTrainingLoss;

/**
 * Held-out figures: masked-LM and next-sentence loss and accuracy over a fixed subset of the validation instances,
 * with fixed masks and without dropout, so evaluations along a run (and across runs on the same data) compare.
 */
public final class Evaluator {
  /** Sequences per evaluation batch: no gradients are kept, so larger batches than training are fine. */
  private static final int BATCH = 64;

  /** The figures of one evaluation; losses are means over masked tokens (MLM) and sequences (NSP). */
  public record Result(double mlmLoss, double nspLoss, double mlmAccuracy, double nspAccuracy, int instances) {
    public double loss() {
      return mlmLoss + nspLoss;
    }
  }

  private final BatchBuilder val;
  private final int[] subset;

  /**
   * @param maxInstances how many validation instances to use (0 = all); a seeded choice, the same at every call
   */
  public Evaluator(BatchBuilder val, int maxInstances, long seed) {
    this.val = val;
    int total = val.instances().size();
    int[] all = new int[total];
    for (int i = 0; i < total; i++) {
      all[i] = i;
    }
    if (maxInstances > 0 && maxInstances < total) {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = total - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      all = Arrays.copyOf(all, maxInstances);
      Arrays.sort(all);
    }
    this.subset = all;
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
    for (int start = 0; start < subset.length; start += BATCH) {
      int[] ids = Arrays.copyOfRange(subset, start, Math.min(subset.length, start + BATCH));
      try (NDManager scope = manager.newSubManager()) {
        BatchTensors t = BatchTensors.of(scope, val.build(ids, 0));
        NDList out = model.forward(ps, t.inputIds(), t.tokenTypeIds(), t.attentionMask(), t.maskedPositions(), false);
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
    return new Result(
        mlmCount == 0 ? 0 : mlmLossSum / mlmCount,
        n == 0 ? 0 : nspLossSum / n,
        mlmCount == 0 ? 0 : mlmCorrect / mlmCount,
        n == 0 ? 0 : nspCorrect / n,
        n);
  }
}
