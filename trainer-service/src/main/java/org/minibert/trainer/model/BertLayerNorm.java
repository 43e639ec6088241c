package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * LayerNorm over the last axis with PyTorch's parameter names: {@code weight} (the scale, DJL's
 * gamma) and {@code bias} (the shift, DJL's beta), each [width], so the full names are Hugging
 * Face's ({@code bert.embeddings.LayerNorm.weight}).
 *
 * <p>DJL's own {@link LayerNorm} block calls them {@code gamma} and {@code beta}, and derives the
 * normalised shape from the input it is initialised with (without an axis it normalises over every
 * axis but the first, so a [B, T, H] input would be normalised over T x H, not per token). This
 * block is given the width and calls the same operator, {@link LayerNorm#layerNorm}; the parameters
 * start at weight 1, bias 0 (DJL's GAMMA and BETA initialisers).
 */
public final class BertLayerNorm extends BertModule {

  private final Parameter weight;
  private final Parameter bias;
  private final float epsilon;

  BertLayerNorm(long width, double epsilon) {
    weight = parameter("weight", Parameter.Type.GAMMA, new Shape(width));
    bias = parameter("bias", Parameter.Type.BETA, new Shape(width));
    this.epsilon = (float) epsilon;
  }

  /**
   * [..., width] -> [..., width], each vector normalised to mean 0 and variance 1, then scaled and
   * shifted.
   */
  NDArray forward(ParameterStore ps, NDArray input, boolean training) {
    NDArray w = ps.getValue(weight, input.getDevice(), training);
    NDArray b = ps.getValue(bias, input.getDevice(), training);
    return LayerNorm.layerNorm(input, weight.getShape(), w, b, epsilon).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
