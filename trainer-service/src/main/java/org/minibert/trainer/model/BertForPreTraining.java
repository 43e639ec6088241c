package org.minibert.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BERT with its two pre-training heads, the top block that is trained: embeddings -> encoder ->
 * (masked-LM head on the masked positions, pooler -> next-sentence head).
 *
 * <h2>Inputs and outputs</h2>
 *
 * {@link #forward(ParameterStore, NDList, boolean)} takes, in this order:
 *
 * <ol>
 *   <li>{@code input_ids} [B, T] int64 token ids (int32 is accepted too),
 *   <li>{@code token_type_ids} [B, T] segment ids, 0 = sentence A, 1 = sentence B,
 *   <li>{@code attention_mask} [B, T], 1 = real token, 0 = padding (padded positions are never
 *       attended to),
 *   <li>optionally {@code masked_positions} [B, P] int64, the positions whose token is to be
 *       predicted.
 * </ol>
 *
 * With {@code masked_positions} it returns {@code [mlm_logits [B, P, V], nsp_logits [B, 2]]}: the
 * hidden states of the masked positions are gathered <em>before</em> the LM head, so the vocabulary
 * projection (the largest matrix product of this model) runs on about 15% of the tokens. Without it
 * (3 inputs) it scores every position, {@code [mlm_logits [B, T, V], nsp_logits [B, 2]]}: the
 * full-sequence form used for inference and ONNX parity.
 *
 * <h2>Parameters</h2>
 *
 * {@link #namedParameters()} lists every parameter under a stable dotted name, in a fixed order:
 * the names and order of Hugging Face transformers' {@code BertForPreTraining.named_parameters()},
 * so a checkpoint maps one to one onto the model every BERT user knows. Dense weights are stored
 * [out, in] (PyTorch / DJL {@code Linear}: y = x W^T + b, as in Hugging Face), LayerNorm as {@code
 * weight} (scale) and {@code bias} (shift), embedding tables [rows, H]:
 *
 * <pre>
 * bert.embeddings.word_embeddings.weight                            [V, H]   also the MLM decoder weight (tied)
 * bert.embeddings.position_embeddings.weight                        [max_positions, H]
 * bert.embeddings.token_type_embeddings.weight                      [type_vocab, H]
 * bert.embeddings.LayerNorm.weight / .bias                          [H]
 * bert.encoder.layer.{i}.attention.self.query.weight / .bias        [H, H] / [H]   (also key, value)
 * bert.encoder.layer.{i}.attention.output.dense.weight / .bias      [H, H] / [H]
 * bert.encoder.layer.{i}.attention.output.LayerNorm.weight / .bias  [H]
 * bert.encoder.layer.{i}.intermediate.dense.weight / .bias          [I, H] / [I]
 * bert.encoder.layer.{i}.output.dense.weight / .bias                [H, I] / [H]
 * bert.encoder.layer.{i}.output.LayerNorm.weight / .bias            [H]
 * bert.pooler.dense.weight / .bias                                  [H, H] / [H]
 * cls.predictions.bias                                              [V]      decoder bias (own parameters come first)
 * cls.predictions.transform.dense.weight / .bias                    [H, H] / [H]
 * cls.predictions.transform.LayerNorm.weight / .bias                [H]
 * cls.seq_relationship.weight / .bias                               [2, H] / [2]
 * </pre>
 *
 * Hugging Face's state dict also lists {@code cls.predictions.decoder.weight} and {@code
 * cls.predictions.decoder.bias}: aliases of {@code bert.embeddings.word_embeddings.weight} and
 * {@code cls.predictions.bias} (tied), not parameters of their own.
 *
 * <h2>Life cycle</h2>
 *
 * Construct with a config whose vocabulary size is known, then either {@link
 * #initialize(NDManager)} directly or let a DJL {@code Trainer} do it ({@code
 * trainer.initialize(BertForPreTraining.inputShapes(...))}). Weights start from a normal(0, {@code
 * initializer_range}) truncated at two standard deviations, biases at 0, LayerNorm at weight 1,
 * bias 0, as in BERT. Save and load with DJL's {@code saveParameters(DataOutputStream)} / {@code
 * loadParameters(NDManager, DataInputStream)} (or {@code Model.save}/{@code Model.load}, which use
 * them).
 */
public final class BertForPreTraining extends BertModule {

  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final BertEncoder encoder;
  private final BertPooler pooler;
  private final BertLmHead lmHead;
  private final BertNspHead nsp;

  /**
   * @throws IllegalArgumentException if the vocabulary size is still unknown (0): see {@link
   *     BertConfig#withVocabSize(int)}
   */
  public BertForPreTraining(BertConfig config) {
    if (config.vocabSize() <= 0) {
      throw new IllegalArgumentException(
          "config " + config.name() + " has no vocabulary size yet: use withVocabSize");
    }
    this.config = config;
    Shape tokens = new Shape(1, config.maxPositionEmbeddings());
    Shape hidden = new Shape(1, 1, config.hiddenSize());
    // Hugging Face's BertModel ("bert") and BertPreTrainingHeads ("cls") are folded in: their paths
    // start the names
    embeddings = child("bert.embeddings", new BertEmbeddings(config), tokens);
    encoder = child("bert.encoder", new BertEncoder(config), hidden);
    pooler = child("bert.pooler", new BertPooler(config), hidden);
    lmHead = child("cls.predictions", new BertLmHead(config), hidden);
    nsp = child("cls.seq_relationship", new BertNspHead(config), new Shape(1, config.hiddenSize()));
    setInitializer(
        new TruncatedNormalInitializer((float) config.initializerRange()), Parameter.Type.WEIGHT);
  }

  public BertConfig config() {
    return config;
  }

  /** Allocates and initialises all parameters (float32) in {@code manager}. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(1, config.maxPositionEmbeddings(), 1));
  }

  /** The input shapes of a pre-training batch, for {@code Trainer.initialize}. */
  public static Shape[] inputShapes(long batch, long length, long maskedPerSequence) {
    Shape tokens = new Shape(batch, length);
    return new Shape[] {tokens, tokens, tokens, new Shape(batch, maskedPerSequence)};
  }

  /**
   * Every parameter by its stable name (see the class comment for names and layouts), in a fixed
   * order.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collectParameters("", out);
    return Collections.unmodifiableMap(out);
  }

  /** The number of trainable values (the tied decoder weight counted once). */
  public long parameterCount() {
    return namedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  /**
   * The BERT forward pass; see the class comment for the inputs and outputs.
   *
   * @param maskedPositions [B, P] positions to score, or {@code null} to score every position
   * @return {@code [mlm_logits, nsp_logits]}
   */
  public NDList forward(
      ParameterStore ps,
      NDArray inputIds,
      NDArray tokenTypeIds,
      NDArray attentionMask,
      NDArray maskedPositions,
      boolean training) {
    NDArray mask = extendedAttentionMask(attentionMask);
    NDArray hidden = embeddings.forward(ps, toLong(inputIds), toLong(tokenTypeIds), training);
    hidden = encoder.forward(ps, hidden, mask, training);

    NDArray toScore =
        maskedPositions == null ? hidden : gatherPositions(hidden, toLong(maskedPositions));
    NDArray word = ps.getValue(embeddings.wordParameter(), hidden.getDevice(), training);
    NDArray mlmLogits = lmHead.forward(ps, toScore, word, training);
    NDArray nspLogits = nsp.forward(ps, pooler.forward(ps, hidden, training), training);
    return new NDList(mlmLogits, nspLogits);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray maskedPositions = inputs.size() > 3 ? inputs.get(3) : null;
    return forward(ps, inputs.get(0), inputs.get(1), inputs.get(2), maskedPositions, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape scored = inputShapes.length > 3 ? inputShapes[3] : inputShapes[0];
    return new Shape[] {scored.add(config.vocabSize()), new Shape(inputShapes[0].get(0), 2)};
  }

  /**
   * The attention mask in the form the attention scores need, computed once per batch: [B, T] of
   * 1/0 becomes [B, 1, 1, T] of 0/-10000, added to the scores [B, heads, T, T] so a padded key gets
   * a softmax weight of ~0 from every query in every head. (-10000 rather than -infinity, as in
   * BERT: a row that is all padding stays finite.)
   */
  static NDArray extendedAttentionMask(NDArray attentionMask) {
    Shape shape = attentionMask.getShape();
    return attentionMask
        .toType(DataType.FLOAT32, false)
        .sub(1f)
        .mul(10000f)
        .reshape(shape.get(0), 1, 1, shape.get(1));
  }

  /** hidden [B, T, H] at positions [B, P] -> [B, P, H]. */
  static NDArray gatherPositions(NDArray hidden, NDArray positions) {
    Shape picked = positions.getShape().add(hidden.getShape().get(2));
    return hidden.gather(positions.expandDims(2).broadcast(picked), 1);
  }

  private static NDArray toLong(NDArray ids) {
    return ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
  }
}
