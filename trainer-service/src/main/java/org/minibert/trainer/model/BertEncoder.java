package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack of {@link BertLayer}s, applied in order; layer i's parameters are named {@code
 * layer.i.*} (so {@code bert.encoder.layer.0.attention.self.query.weight} in the full model,
 * Hugging Face's {@code ModuleList} path).
 */
public final class BertEncoder extends BertModule {

  private final List<BertLayer> layers = new ArrayList<>();

  BertEncoder(BertConfig config) {
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(child("layer." + i, new BertLayer(config), new Shape(1, 1, config.hiddenSize())));
    }
  }

  NDArray forward(ParameterStore ps, NDArray hidden, NDArray attentionMask, boolean training) {
    for (BertLayer layer : layers) {
      hidden = layer.forward(ps, hidden, attentionMask, training);
    }
    return hidden;
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
