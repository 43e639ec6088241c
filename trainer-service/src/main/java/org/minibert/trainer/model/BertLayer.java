package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One transformer layer: the attention sub-layer (tokens exchange information) followed by the
 * feed-forward sub-layer (each token is transformed on its own): {@code LayerNorm(a +
 * Dropout(Dense(GELU(Dense(a)))))}.
 *
 * <p>Parameters: {@code attention.*} (see {@link BertAttention}), {@code intermediate.dense.weight}
 * [I, H], {@code intermediate.dense.bias} [I], {@code output.dense.weight} [H, I], {@code
 * output.dense.bias} [H], {@code output.LayerNorm.weight/bias} [H], with I = intermediate size (4 x
 * H). Hugging Face's {@code BertIntermediate} (dense + GELU) and {@code BertOutput} (dense,
 * dropout, residual, LayerNorm) are folded in here; their paths are kept in the child names.
 *
 * <p>The activation is the exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}, as in BERT: DJL's
 * {@link Activation#gelu(NDArray)} calls PyTorch's {@code gelu} with its default {@code
 * approximate="none"}, which is the erf form (not the tanh approximation).
 */
public final class BertLayer extends BertModule {

  private final BertAttention attention;
  private final Linear intermediate;
  private final Linear output;
  private final BertLayerNorm layerNorm;
  private final float dropout;

  BertLayer(BertConfig config) {
    int hidden = config.hiddenSize();
    attention = child("attention", new BertAttention(config), new Shape(1, 1, hidden));
    intermediate = dense("intermediate.dense", hidden, config.intermediateSize());
    output = dense("output.dense", config.intermediateSize(), hidden);
    layerNorm = layerNorm("output.LayerNorm", hidden, config.layerNormEps());
    dropout = (float) config.hiddenDropoutProb();
  }

  NDArray forward(ParameterStore ps, NDArray hidden, NDArray attentionMask, boolean training) {
    NDArray attended = attention.forward(ps, hidden, attentionMask, training);
    NDArray expanded = Activation.gelu(apply(intermediate, ps, attended, training));
    NDArray projected =
        Dropout.dropout(apply(output, ps, expanded, training), dropout, training)
            .singletonOrThrow();
    return apply(layerNorm, ps, projected.add(attended), training);
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
