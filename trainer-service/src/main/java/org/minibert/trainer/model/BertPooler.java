package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The sentence-pair summary: the final hidden state of the first token ([CLS], position 0) through
 * a dense layer and tanh. Only next-sentence prediction (and later classification fine-tuning)
 * reads it.
 *
 * <p>Parameters: {@code dense.weight} [H, H], {@code dense.bias} [H].
 */
public final class BertPooler extends BertModule {

  private final Linear dense;

  BertPooler(BertConfig config) {
    dense = dense("dense", config.hiddenSize(), config.hiddenSize());
  }

  /** [B, T, H] -> [B, H]. */
  NDArray forward(ParameterStore ps, NDArray hidden, boolean training) {
    NDArray cls = hidden.get(":, 0, :");
    return apply(dense, ps, cls, training).tanh();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape hidden = inputShapes[0];
    return new Shape[] {new Shape(hidden.get(0), hidden.get(2))};
  }
}
