package org.minibert.inference.onnx;

import java.nio.FloatBuffer;

/**
 * The outputs of one batch.
 *
 * @param scores masked-LM scores, one row of {@code vocab} per computed position, or null when no
 *     row asked for them
 * @param logProbabilities whether the scores are log-probabilities (the serving graph's {@code
 *     mask_log_probs}) rather than logits
 * @param scoreRows for each (row, position) of the padded batch, {@code row * length + position},
 *     its row in {@code scores} or -1 when it was not computed; null when every position was
 *     computed in that order ({@code model.onnx})
 * @param nsp {@code [batch, 2]} row-major, or null
 */
public record BatchOutput(
    FloatBuffer scores,
    boolean logProbabilities,
    int[] scoreRows,
    float[] nsp,
    int length,
    int vocab) {

  /**
   * The masked-LM scores of one token of one row.
   *
   * @throws IllegalStateException when they were not computed (the serving graph computes the
   *     {@code [MASK]} positions only)
   */
  public MaskScores scores(int row, int position) {
    int at = row * length + position;
    int index = scoreRows == null ? at : scoreRows[at];
    if (scores == null || index < 0) {
      throw new IllegalStateException(
          "no masked-LM scores were computed for row " + row + ", position " + position);
    }
    float[] out = new float[vocab];
    scores.get(index * vocab, out);
    return new MaskScores(out, logProbabilities);
  }

  public float[] nsp(int row) {
    return new float[] {nsp[row * 2], nsp[row * 2 + 1]};
  }
}
