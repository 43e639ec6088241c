package org.minibert.inference.onnx;

import java.nio.FloatBuffer;

/**
 * The outputs of one batch.
 *
 * @param logits masked-LM scores, one row of {@code vocab} per computed position, or null when no
 *     row asked for them
 * @param logitsRows for each (row, position) of the padded batch, {@code row * length + position},
 *     its row in {@code logits} or -1 when it was not computed; null when every position was
 *     computed in that order ({@code model.onnx})
 * @param nsp {@code [batch, 2]} row-major, or null
 */
public record BatchOutput(
    FloatBuffer logits, int[] logitsRows, float[] nsp, int length, int vocab) {

  /**
   * The masked-LM logits of one token of one row.
   *
   * @throws IllegalStateException when they were not computed (the serving graph computes the
   *     {@code [MASK]} positions only)
   */
  public float[] logits(int row, int position) {
    int at = row * length + position;
    int index = logitsRows == null ? at : logitsRows[at];
    if (logits == null || index < 0) {
      throw new IllegalStateException(
          "no masked-LM scores were computed for row " + row + ", position " + position);
    }
    float[] out = new float[vocab];
    logits.get(index * vocab, out);
    return out;
  }

  public float[] nsp(int row) {
    return new float[] {nsp[row * 2], nsp[row * 2 + 1]};
  }
}
