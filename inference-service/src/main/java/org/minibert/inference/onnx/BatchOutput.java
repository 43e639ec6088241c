package org.minibert.inference.onnx;

import java.nio.FloatBuffer;

/**
 * The outputs of one batch.
 *
 * @param logits {@code [batch, length, vocab]} row-major, or null when no row asked for them
 * @param nsp {@code [batch, 2]} row-major, or null
 */
public record BatchOutput(FloatBuffer logits, float[] nsp, int length, int vocab) {

  /** The masked-LM logits of one token of one row. */
  public float[] logits(int row, int position) {
    float[] out = new float[vocab];
    logits.get((row * length + position) * vocab, out);
    return out;
  }

  public float[] nsp(int row) {
    return new float[] {nsp[row * 2], nsp[row * 2 + 1]};
  }
}
