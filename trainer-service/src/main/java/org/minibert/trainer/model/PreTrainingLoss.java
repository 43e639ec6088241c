package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * BERT's pre-training loss: masked-LM cross-entropy plus next-sentence cross-entropy, summed.
 *
 * <p>Labels, in this order: {@code masked_ids} [B, P] (the original token at each masked position),
 * {@code masked_weights} [B, P] (1 for a real masked position, 0 for a padding slot: sequences have
 * different numbers of masked tokens but the batch has a fixed P), {@code next_sentence_labels} [B]
 * ({@link BertNspHead#IS_NEXT} or {@link BertNspHead#NOT_NEXT}). Predictions: the two outputs of
 * {@link BertForPreTraining}.
 *
 * <p>The MLM term is {@code sum(weight * -log p(label)) / (sum(weight) + 1e-5)}: the mean over the
 * real masked tokens only, so padding slots count neither in the sum nor in the denominator. The
 * log-probability of the label is read with a gather from the log-softmax, not a product with a
 * one-hot [B, P, V] tensor, which would cost a vocabulary-sized tensor per masked token forward and
 * backward.
 */
public final class PreTrainingLoss extends Loss {

  /**
   * The parts of one evaluation, as scalars still on the device (read them with {@code getFloat()}
   * when needed, so a training step does not wait for them).
   *
   * @param total mlm + nsp, the value to differentiate
   * @param mlm mean masked-LM cross-entropy over the real masked tokens
   * @param nsp mean next-sentence cross-entropy
   * @param mlmCorrect number of real masked tokens whose arg-max prediction is the label
   * @param mlmCount number of real masked tokens (the sum of the weights)
   * @param nspCorrect number of sequences whose next-sentence prediction is right
   * @param nspCount number of sequences
   */
  public record Output(
      NDArray total,
      NDArray mlm,
      NDArray nsp,
      NDArray mlmCorrect,
      NDArray mlmCount,
      NDArray nspCorrect,
      long nspCount) {}

  public PreTrainingLoss() {
    super("pretraining_loss");
  }

  /**
   * The total loss only: what a DJL {@code Trainer} differentiates, without the accuracy counts.
   */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray weights = labels.get(1).toType(DataType.FLOAT32, false);
    return maskedLmLoss(predictions.get(0), maskedIds(labels), weights, weights.sum())
        .add(nextSentenceLoss(predictions.get(1), nextSentenceLabels(labels)));
  }

  /** The loss with its parts and the accuracy counts. */
  public Output compute(NDList labels, NDList predictions) {
    NDArray mlmLogits = predictions.get(0);
    NDArray nspLogits = predictions.get(1);
    NDArray maskedIds = maskedIds(labels);
    NDArray weights = labels.get(1).toType(DataType.FLOAT32, false);
    NDArray nspLabels = nextSentenceLabels(labels);

    NDArray mlmCount = weights.sum();
    NDArray mlm = maskedLmLoss(mlmLogits, maskedIds, weights, mlmCount);
    NDArray nsp = nextSentenceLoss(nspLogits, nspLabels);
    NDArray mlmCorrect =
        mlmLogits.argMax(-1).eq(maskedIds).toType(DataType.FLOAT32, false).mul(weights).sum();
    NDArray nspCorrect = nspLogits.argMax(-1).eq(nspLabels).toType(DataType.FLOAT32, false).sum();
    return new Output(mlm.add(nsp), mlm, nsp, mlmCorrect, mlmCount, nspCorrect, nspLabels.size());
  }

  private static NDArray maskedLmLoss(
      NDArray logits, NDArray maskedIds, NDArray weights, NDArray count) {
    return logProbabilityOf(logits, maskedIds).mul(weights).sum().neg().div(count.add(1e-5f));
  }

  private static NDArray nextSentenceLoss(NDArray logits, NDArray labels) {
    return logProbabilityOf(logits, labels).mean().neg();
  }

  private static NDArray maskedIds(NDList labels) {
    return labels.get(0).toType(DataType.INT64, false);
  }

  private static NDArray nextSentenceLabels(NDList labels) {
    return labels.get(2).toType(DataType.INT64, false);
  }

  /** log softmax(logits)[label] along the last axis: logits [..., C], labels [...] -> [...]. */
  private static NDArray logProbabilityOf(NDArray logits, NDArray labels) {
    return logits.logSoftmax(-1).gather(labels.expandDims(-1), -1).squeeze(-1);
  }
}
