package org.minibert.trainer.run;

import java.nio.file.Path;

/**
 * Everything that defines a training run. Stored in {@code RUN/config.json}; a resumed run reads them back from
 * there, so the schedule and data order cannot drift from the run's start.
 *
 * @param data the prepared data set folder
 * @param config a shipped model config name or a config file
 * @param epochs passes over the training instances
 * @param maxSteps stop after this many steps (0 = no limit beyond the epochs)
 * @param batchSize sequences per step
 * @param maxLr peak learning rate of the one-cycle schedule
 * @param weightDecay AdamW decoupled weight decay (not applied to biases and LayerNorm)
 * @param clipNorm clip gradients to this global L2 norm
 * @param seed seeds instance generation, masking, data order, initialisation and dropout
 * @param logEvery steps between train lines in metrics.jsonl
 * @param evalEvery steps between validations besides the one at each epoch end (0 = epoch ends only)
 * @param evalInstances validation instances used per evaluation (a fixed subset; 0 = all)
 * @param checkpointEvery steps between checkpoints besides the one at each epoch end (0 = epoch ends only)
 * @param maxBadSteps stop the run after this many consecutive steps with a non-finite loss or gradient
 * @param wholeWordMasking mask all pieces of a word together
 * @param staticMasking the same masks every epoch instead of new ones
 */
public record TrainOptions(
    Path data,
    String config,
    int epochs,
    long maxSteps,
    int batchSize,
    double maxLr,
    double weightDecay,
    double clipNorm,
    long seed,
    int logEvery,
    int evalEvery,
    int evalInstances,
    int checkpointEvery,
    int maxBadSteps,
    boolean wholeWordMasking,
    boolean staticMasking) {

  public TrainOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException("--max-steps must not be negative, got " + maxSteps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
      throw new IllegalArgumentException("--max-lr must be a positive number, got " + maxLr);
    }
    if (weightDecay < 0 || clipNorm <= 0) {
      throw new IllegalArgumentException("weight decay must be >= 0 and the clipping norm > 0");
    }
    if (logEvery < 1 || evalEvery < 0 || evalInstances < 0 || checkpointEvery < 0 || maxBadSteps < 1) {
      throw new IllegalArgumentException("--log-every and --max-bad-steps must be >= 1; --eval-every, --eval-instances and --checkpoint-every >= 0");
    }
  }
}
