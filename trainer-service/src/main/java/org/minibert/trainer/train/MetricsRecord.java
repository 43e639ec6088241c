package org.minibert.trainer.train;

/**
 * One line of {@code RUN/metrics.jsonl}: a training log step ({@code split = "train"}, figures
 * averaged over the steps since the previous log line) or an evaluation ({@code split = "val"},
 * figures over the held-out split, masked as the run trains: single pieces or whole words).
 *
 * @param loss the loss the run trains: mlmLoss + nspLoss, or mlmLoss alone for masked LM only
 * @param mlmLoss cross-entropy over the masked positions only
 * @param nspLoss next-sentence cross-entropy; NaN for masked LM only (no pairs)
 * @param mlmAccuracy share of masked positions whose top prediction is the original token
 * @param nspAccuracy share of pairs classified correctly; NaN for masked LM only
 * @param lr learning rate of the last step (train) or at evaluation time (val)
 * @param seqPerS training throughput since the previous train line; 0 for val lines
 * @param elapsedS seconds of training since the run started (resumed runs continue the count)
 */
public record MetricsRecord(
    String split,
    long step,
    int epoch,
    double loss,
    double mlmLoss,
    double nspLoss,
    double mlmAccuracy,
    double nspAccuracy,
    double lr,
    double seqPerS,
    double elapsedS) {
  public static final String TRAIN = "train";
  public static final String VAL = "val";

  static final String CSV_HEADER =
      "split,step,epoch,loss,mlm_loss,nsp_loss,mlm_accuracy,nsp_accuracy,lr,seq_per_s,elapsed_s";

  String toCsv() {
    return String.join(
        ",",
        split,
        Long.toString(step),
        Integer.toString(epoch),
        num(loss),
        num(mlmLoss),
        num(nspLoss),
        num(mlmAccuracy),
        num(nspAccuracy),
        num(lr),
        num(seqPerS),
        num(elapsedS));
  }

  private static String num(double v) {
    return Double.toString(v);
  }
}
