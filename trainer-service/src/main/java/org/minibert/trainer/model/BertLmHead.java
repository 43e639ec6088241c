package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Masked-language-model head: a dense + GELU + LayerNorm transform, then a projection onto the
 * vocabulary that reuses the word-embedding matrix (weight tying: the score of word w is the dot
 * product with w's input embedding, plus a per-word bias). Tying saves vocab x hidden parameters,
 * more than half of this model.
 *
 * <p>Parameters: {@code bias} [vocab] (the decoder bias), {@code transform.dense.weight} [H, H],
 * {@code transform.dense.bias} [H], {@code transform.LayerNorm.weight/bias} [H]: Hugging Face's
 * {@code BertLMPredictionHead} ({@code cls.predictions}) with its {@code
 * BertPredictionHeadTransform} folded in. The decoder weight is {@code
 * bert.embeddings.word_embeddings.weight} [vocab, H], used as a Linear weight ([out, in]) so that
 * no transpose is materialised; Hugging Face's {@code cls.predictions.decoder.weight} and {@code
 * .bias} are aliases of that table and of {@code cls.predictions.bias}, so they are not parameters
 * of their own here.
 */
public final class BertLmHead extends BertModule {

  private final Linear transform;
  private final BertLayerNorm layerNorm;
  private final Parameter decoderBias;

  BertLmHead(BertConfig config) {
    transform = dense("transform.dense", config.hiddenSize(), config.hiddenSize());
    layerNorm = layerNorm("transform.LayerNorm", config.hiddenSize(), config.layerNormEps());
    decoderBias = parameter("bias", Parameter.Type.BIAS, new Shape(config.vocabSize()));
  }

  /**
   * @param hidden [..., H] hidden states (only the masked positions while pre-training)
   * @param wordEmbeddings [vocab, H] the tied decoder weight
   * @return [..., vocab] unnormalised scores
   */
  NDArray forward(ParameterStore ps, NDArray hidden, NDArray wordEmbeddings, boolean training) {
    NDArray transformed =
        apply(layerNorm, ps, Activation.gelu(apply(transform, ps, hidden, training)), training);
    NDArray bias = ps.getValue(decoderBias, hidden.getDevice(), training);
    return Linear.linear(transformed, wordEmbeddings, bias).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape hidden = inputShapes[0];
    return new Shape[] {hidden.slice(0, hidden.dimension() - 1).add(decoderBias.getShape().get(0))};
  }
}
