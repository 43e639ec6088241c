package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Next-sentence-prediction head: a linear classifier on the pooled [CLS] vector. Class 0 =
 * "sentence B really follows sentence A", class 1 = "B is a random sentence" (Hugging Face's
 * convention).
 *
 * <p>Parameters: {@code weight} [2, H], {@code bias} [2] (owned directly, so they are {@code
 * cls.seq_relationship.weight} and {@code cls.seq_relationship.bias} in the full model, Hugging
 * Face's {@code Linear}).
 */
public final class BertNspHead extends BertModule {

  /** The class index of "sentence B follows sentence A". */
  public static final int IS_NEXT = 0;

  /** The class index of "sentence B is a random sentence". */
  public static final int NOT_NEXT = 1;

  private final Parameter weight;
  private final Parameter bias;

  BertNspHead(BertConfig config) {
    weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(2, config.hiddenSize()));
    bias = parameter("bias", Parameter.Type.BIAS, new Shape(2));
  }

  /** [B, H] pooled -> [B, 2] scores. */
  NDArray forward(ParameterStore ps, NDArray pooled, boolean training) {
    NDArray w = ps.getValue(weight, pooled.getDevice(), training);
    NDArray b = ps.getValue(bias, pooled.getDevice(), training);
    return Linear.linear(pooled, w, b).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
  }
}
