package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Turns token ids into the first hidden states: the sum of a word vector, a position vector and a
 * segment (token type) vector per token, then LayerNorm and dropout.
 *
 * <p>Parameters: {@code word_embeddings.weight} [vocab, hidden] (also the MLM decoder, see {@link
 * BertLmHead}), {@code position_embeddings.weight} [max_positions, hidden], {@code
 * token_type_embeddings.weight} [type_vocab, hidden], {@code LayerNorm.weight/bias} [hidden]. The
 * three tables are owned directly (Hugging Face has an {@code Embedding} module per table, hence
 * the {@code .weight}) and read with DJL's embedding operator. Positions are learned, not
 * sinusoidal, as in BERT, so the model cannot read sequences longer than {@code max_positions}.
 */
public final class BertEmbeddings extends BertModule {

  private final Parameter word;
  private final Parameter position;
  private final Parameter tokenType;
  private final BertLayerNorm layerNorm;
  private final float dropout;

  BertEmbeddings(BertConfig config) {
    int hidden = config.hiddenSize();
    word =
        parameter(
            "word_embeddings.weight", Parameter.Type.WEIGHT, new Shape(config.vocabSize(), hidden));
    position =
        parameter(
            "position_embeddings.weight",
            Parameter.Type.WEIGHT,
            new Shape(config.maxPositionEmbeddings(), hidden));
    tokenType =
        parameter(
            "token_type_embeddings.weight",
            Parameter.Type.WEIGHT,
            new Shape(config.typeVocabSize(), hidden));
    layerNorm = layerNorm("LayerNorm", hidden, config.layerNormEps());
    dropout = (float) config.hiddenDropoutProb();
  }

  /** The word-embedding matrix [vocab, hidden], shared with the MLM decoder. */
  Parameter wordParameter() {
    return word;
  }

  /**
   * @param inputIds [B, T] int64 token ids
   * @param tokenTypeIds [B, T] int64 segment ids (0 for sentence A, 1 for sentence B)
   * @return [B, T, hidden]
   */
  NDArray forward(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, boolean training) {
    long length = inputIds.getShape().get(1);
    NDArray positionIds = inputIds.getManager().arange(0, length, 1, DataType.INT64);
    NDArray embeddings =
        lookup(ps, word, inputIds, training)
            .add(lookup(ps, tokenType, tokenTypeIds, training))
            .add(lookup(ps, position, positionIds, training)); // [T, H], broadcast over the batch
    embeddings = apply(layerNorm, ps, embeddings, training);
    return Dropout.dropout(embeddings, dropout, training).singletonOrThrow();
  }

  /** A row lookup (torch.embedding): its gradient only touches the rows that were read. */
  private static NDArray lookup(ParameterStore ps, Parameter table, NDArray ids, boolean training) {
    NDArray weight = ps.getValue(table, ids.getDevice(), training);
    return Embedding.embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(word.getShape().get(1))};
  }
}
