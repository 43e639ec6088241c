package org.minibert.inference.onnx;

import org.minibert.core.fillmask.TopK;

/**
 * One mask's masked-LM scores over the vocabulary, as the graph gave them: log-probabilities (the
 * serving graph's {@code mask_log_probs}) or raw logits ({@code model.onnx}, and serving graphs
 * exported before they normalised their scores).
 *
 * @param values one score per vocabulary id
 * @param logProbabilities whether {@code values} are log-probabilities already
 */
public record MaskScores(float[] values, boolean logProbabilities) {

  /**
   * {@code log(sum(exp(values)))}, so that the probability of id i is {@code exp(values[i] -
   * logNormaliser())}: 0 for log-probabilities, a pass over the whole vocabulary for logits.
   */
  public double logNormaliser() {
    return logProbabilities ? 0 : TopK.logSumExp(values);
  }
}
