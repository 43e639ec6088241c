package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product self-attention: every token builds its new vector as a weighted
 * average of the value vectors of all (non-padding) tokens, weighted by how well its query matches
 * their keys.
 *
 * <p>Parameters: {@code query}, {@code key}, {@code value}, each a {@link Linear} hidden -> hidden
 * ({@code weight} [hidden, hidden] stored [out, in], {@code bias} [hidden]). The heads are slices
 * of the hidden axis: head h uses output columns {@code [h * headSize, (h + 1) * headSize)} of each
 * projection.
 *
 * <p>Inputs: the hidden states [B, T, H] and the additive attention mask [B, 1, 1, T] made once per
 * batch by {@link BertForPreTraining#extendedAttentionMask}. Output: the per-head contexts
 * concatenated back to [B, T, H] (the output projection follows in {@link BertAttention}).
 */
public final class BertSelfAttention extends BertModule {

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final int heads;
  private final int headSize;
  private final float dropout;

  BertSelfAttention(BertConfig config) {
    int hidden = config.hiddenSize();
    query = dense("query", hidden, hidden);
    key = dense("key", hidden, hidden);
    value = dense("value", hidden, hidden);
    heads = config.numAttentionHeads();
    headSize = config.headSize();
    dropout = (float) config.attentionProbsDropoutProb();
  }

  NDArray forward(ParameterStore ps, NDArray hidden, NDArray attentionMask, boolean training) {
    Shape shape = hidden.getShape();
    long batch = shape.get(0);
    long length = shape.get(1);
    Shape split = new Shape(batch, length, heads, headSize);
    // [B, T, H] -> [B, heads, T, headSize]; the key goes straight to [B, heads, headSize, T] so
    // that query x key needs no further transpose. 1/sqrt(headSize) is applied to the (smaller)
    // query, not the scores.
    NDArray q =
        apply(query, ps, hidden, training)
            .reshape(split)
            .transpose(0, 2, 1, 3)
            .mul(1.0 / Math.sqrt(headSize));
    NDArray kT = apply(key, ps, hidden, training).reshape(split).transpose(0, 2, 3, 1);
    NDArray v = apply(value, ps, hidden, training).reshape(split).transpose(0, 2, 1, 3);

    NDArray scores = q.matMul(kT).add(attentionMask); // [B, heads, T, T]; padded keys get -10000
    NDArray probs = Dropout.dropout(scores.softmax(-1), dropout, training).singletonOrThrow();
    NDArray context = probs.matMul(v); // [B, heads, T, headSize]
    return context.transpose(0, 2, 1, 3).reshape(shape);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
