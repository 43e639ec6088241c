package org.minibert.trainer.train;

import org.minibert.trainer.model.PreTrainingLoss;

/**
 * The running train figures: sums over the steps since the last train line of {@code
 * metrics.jsonl}. A train line is their means ({@link #line}), then the window starts again ({@link
 * #reset}). A skipped step (non-finite loss or gradient) adds its time but no figures.
 */
final class TrainWindow {
  /** Whether the run trains next-sentence prediction; its figures are NaN otherwise. */
  private final boolean nsp;

  private double lossSum;
  private double mlmLossSum;
  private double nspLossSum;
  private double mlmCorrect;
  private double mlmCount;
  private double nspCorrect;
  private long sequences;
  private int steps;
  private double seconds;

  TrainWindow(boolean nsp) {
    this.nsp = nsp;
  }

  /**
   * A completed step: the loss it trained on, and the loss parts and correct predictions of {@code
   * out}.
   */
  void addStep(float loss, PreTrainingLoss.Output out, int batchSize) {
    lossSum += loss;
    mlmLossSum += out.mlm().getFloat();
    nspLossSum += out.nsp().getFloat();
    mlmCorrect += out.mlmCorrect().getFloat();
    mlmCount += out.mlmCount().getFloat();
    nspCorrect += out.nspCorrect().getFloat();
    sequences += batchSize;
    steps++;
  }

  /** The time a step took, completed or skipped. */
  void addSeconds(double s) {
    seconds += s;
  }

  /** Completed steps in the window. */
  int steps() {
    return steps;
  }

  /** Throughput over the window (0 before its first step). */
  double sequencesPerSecond() {
    return seconds == 0 ? 0 : sequences / seconds;
  }

  /**
   * The window as a train line: mean losses per step, MLM accuracy over the masked tokens, NSP
   * accuracy over the sequences. Call only when {@link #steps()} is positive.
   *
   * @param step steps done at the end of the window
   * @param lr the learning rate of the window's last step
   * @param elapsedS training seconds of the whole run so far
   */
  MetricsRecord line(long step, int epoch, double lr, double elapsedS) {
    return new MetricsRecord(
        MetricsRecord.TRAIN,
        step,
        epoch,
        lossSum / steps,
        mlmLossSum / steps,
        nsp ? nspLossSum / steps : Double.NaN,
        mlmCount == 0 ? 0 : mlmCorrect / mlmCount,
        nsp ? nspCorrect / sequences : Double.NaN,
        lr,
        sequencesPerSecond(),
        elapsedS);
  }

  /** Starts a new window. */
  void reset() {
    lossSum = mlmLossSum = nspLossSum = mlmCorrect = mlmCount = nspCorrect = seconds = 0;
    sequences = 0;
    steps = 0;
  }
}
