package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The attention sub-layer: self-attention, an output projection, dropout, then the residual
 * connection and LayerNorm <em>after</em> the sum ("post-LN", as in the original BERT: {@code
 * LayerNorm(x + Dropout(Dense(Attention(x))))}).
 *
 * <p>Parameters: {@code self.query/key/value.*} (see {@link BertSelfAttention}), {@code
 * output.dense.weight} [H, H], {@code output.dense.bias} [H], {@code output.LayerNorm.weight/bias}
 * [H]. Hugging Face keeps the last two in a separate {@code BertSelfOutput} ({@code output}); they
 * are folded in here, under the same names.
 */
public final class BertAttention extends BertModule {

  private final BertSelfAttention self;
  private final Linear output;
  private final BertLayerNorm layerNorm;
  private final float dropout;

  BertAttention(BertConfig config) {
    int hidden = config.hiddenSize();
    self = child("self", new BertSelfAttention(config), new Shape(1, 1, hidden));
    output = dense("output.dense", hidden, hidden);
    layerNorm = layerNorm("output.LayerNorm", hidden, config.layerNormEps());
    dropout = (float) config.hiddenDropoutProb();
  }

  NDArray forward(ParameterStore ps, NDArray hidden, NDArray attentionMask, boolean training) {
    NDArray context = self.forward(ps, hidden, attentionMask, training);
    NDArray projected =
        Dropout.dropout(apply(output, ps, context, training), dropout, training).singletonOrThrow();
    return apply(layerNorm, ps, projected.add(hidden), training);
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
