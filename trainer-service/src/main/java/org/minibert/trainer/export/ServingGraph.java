package org.minibert.trainer.export;

import static org.minibert.trainer.export.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.Map;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertConfig;

/**
 * The serving graph ({@code model.serving.onnx}): the same encoder in ONNX Runtime's fused
 * operators, with {@code mask_positions} as a fourth input, and only what the outputs read: the
 * last layer past its attention and the LM head run on the masked rows and the [CLS] rows alone,
 * and the LM scores leave normalised ({@code mask_log_probs}). See {@link BertOnnxExporter}.
 */
final class ServingGraph extends BertGraphBuilder {

  ServingGraph(BertConfig config, Map<String, float[]> parameters) {
    super(config, parameters, "masked-LM (at the given mask positions) and next-sentence heads");
  }

  @Override
  ModelProto model() {
    Inputs inputs = declareInputs();
    String maskPositions =
        graph.input(OnnxContract.MASK_POSITIONS, INT64, OnnxContract.MASKS_AXIS, 2);
    String mask = attentionMaskInt32(inputs.attentionMask());
    String wordEmbeddings = wordEmbeddingTable();
    String hiddenStates = embeddings(inputs.inputIds(), inputs.tokenTypeIds(), wordEmbeddings);
    int layers = config.numHiddenLayers();
    for (int i = 0; i < layers - 1; i++) {
      hiddenStates = fusedLayer("bert.encoder.layer." + i, hiddenStates, mask);
    }
    HeadRows rows =
        fusedLastLayer("bert.encoder.layer." + (layers - 1), hiddenStates, mask, maskPositions);
    String nspLogits = nspHead(pooler(rows.firstTokens()));
    String logits = lmHead(rows.masked(), wordEmbeddings, "cls.predictions.decoder/Add");
    // normalised here: ONNX Runtime's vectorised log-softmax saves the consumer a pass over every
    // logit of the vocabulary per mask
    String logProbs =
        graph.opWithOutput(
            "LogSoftmax",
            "cls.predictions/LogSoftmax",
            OnnxContract.MASK_LOG_PROBS,
            List.of(logits),
            attr("axis", -1L));
    graph.output(logProbs, FLOAT, OnnxContract.MASKS_AXIS, config.vocabSize());
    graph.output(nspLogits, FLOAT, BATCH, 2);
    return finish(servingDocString(), true);
  }

  private static String servingDocString() {
    return String.format(
        "Mini-BERT serving graph, exported from DJL. Inputs %s int64 [%s, %s] and %s int64 [%s, 2]"
            + " ((row, token index) pairs); outputs %s [%5$s, vocab] (masked-LM log-probabilities"
            + " at those positions, in their order) and %s [%2$s, 2] (class %d = second segment"
            + " follows the first; requested alone, the masked-LM head is not computed).",
        String.join(", ", OnnxContract.INPUTS),
        BATCH,
        SEQUENCE,
        OnnxContract.MASK_POSITIONS,
        OnnxContract.MASKS_AXIS,
        OnnxContract.MASK_LOG_PROBS,
        OnnxContract.NSP_LOGITS,
        OnnxContract.NSP_IS_NEXT);
  }

  /**
   * The serving graph's padding mask: attention_mask [B, T] as int32, the type {@code Attention}
   * reads.
   */
  private String attentionMaskInt32(String attentionMask) {
    return graph.op(
        "Cast",
        "attention_mask/Cast",
        List.of(attentionMask),
        attr("to", (long) TensorProto.DataType.INT32.getNumber()));
  }

  /**
   * The serving graph's layer: the same computation as {@link #layer} in ONNX Runtime's fused
   * operators, seven nodes where the plain graph has about thirty (ONNX Runtime's own optimizer
   * fuses the GELUs of the plain graph but neither its attention nor its residual LayerNorms).
   *
   * <ul>
   *   <li>{@code Attention}: the query, key and value projections as one packed [H, 3H] weight, the
   *       heads, 1/sqrt(head) scaling, the padding mask (0/1 int32, padded keys get -10000 as in
   *       {@link #additiveAttentionMask}) and softmax;
   *   <li>{@code SkipLayerNormalization}: LayerNorm(x + residual + bias), each residual block's
   *       dense bias, sum and LayerNorm in one;
   *   <li>{@code BiasGelu}: the intermediate dense's bias and the exact (erf) GELU.
   * </ul>
   */
  private String fusedLayer(String prefix, String input, String mask) {
    String context = fusedSelfAttention(prefix + ".attention.self", input, mask);
    return fusedLayerAfterAttention(prefix, context, input);
  }

  /** The hidden states of the last layer at the rows the heads read: masked tokens, [CLS]. */
  private record HeadRows(String masked, String firstTokens) {}

  /**
   * The serving graph's last layer, computed past its attention only at the rows the heads read:
   * the masked positions (for the LM head) and each sequence's first token (for the pooler). The
   * attention still runs over every position, since every token is a key and a value for those
   * rows; the output projection, the feed-forward block and both LayerNorms act on each row alone,
   * so on the [masks + B, H] rows gathered from its input and its attention context they give
   * exactly those rows of the full layer, at a fraction of its cost on long inputs.
   */
  private HeadRows fusedLastLayer(String prefix, String input, String mask, String maskPositions) {
    String context = fusedSelfAttention(prefix + ".attention.self", input, mask);
    String rowsContext = headRows(prefix + ".attention.self/rows", context, maskPositions);
    String rowsInput = headRows(prefix + "/input_rows", input, maskPositions);
    String layerRows = fusedLayerAfterAttention(prefix, rowsContext, rowsInput); // [masks + B, H]
    String masks = dimension(prefix + "/Shape_masks", maskPositions, 0);
    return new HeadRows(
        rows(prefix + "/Slice_masked", layerRows, int64Constant("const.zero", 0), masks),
        rows(
            prefix + "/Slice_first_tokens",
            layerRows,
            masks,
            int64Constant("const.int64_max", Long.MAX_VALUE)));
  }

  /**
   * [B, T, H] -> [masks + B, H]: the rows at {@code mask_positions} ((row, token) pairs), then the
   * first token of each sequence.
   */
  private String headRows(String prefix, String states, String maskPositions) {
    String masked = graph.op("GatherND", prefix + "/GatherND", List.of(states, maskPositions));
    String first = firstToken(prefix + "/Gather_first_token", states);
    return graph.op("Concat", prefix + "/Concat", List.of(masked, first), attr("axis", 0L));
  }

  /**
   * A fused layer from its attention context on: output projection and residual LayerNorm, then the
   * feed-forward block and its residual LayerNorm, on [..., H] rows of any leading shape.
   */
  private String fusedLayerAfterAttention(String prefix, String context, String input) {
    String attention = prefix + ".attention";
    String attended =
        skipLayerNorm(
            attention + ".output",
            matMul(attention + ".output.dense", context, hidden, hidden),
            input);
    String intermediate = prefix + ".intermediate";
    String expanded =
        contribOp(
            "BiasGelu",
            intermediate + "/BiasGelu",
            List.of(
                matMul(intermediate + ".dense", attended, hidden, config.intermediateSize()),
                parameter(intermediate + ".dense.bias", config.intermediateSize())));
    return skipLayerNorm(
        prefix + ".output",
        matMul(prefix + ".output.dense", expanded, config.intermediateSize(), hidden),
        attended);
  }

  /**
   * {@code BertSelfAttention} as one ONNX Runtime {@code Attention} node: [B, T, H] -> [B, T, H],
   * with {@code query}, {@code key} and {@code value} packed side by side into one [H, 3H] weight
   * ({@code <prefix>.qkv.weight}) and one [3H] bias.
   */
  private String fusedSelfAttention(String prefix, String input, String mask) {
    float[][] weights = new float[3][];
    float[][] biases = new float[3][];
    String[] parts = {"query", "key", "value"};
    for (int p = 0; p < 3; p++) {
      String part = prefix + "." + parts[p];
      weights[p] = transpose(take(part + ".weight", hidden * hidden), hidden, hidden);
      biases[p] = take(part + ".bias", hidden);
    }
    float[] packed = new float[hidden * 3 * hidden];
    float[] packedBias = new float[3 * hidden];
    for (int p = 0; p < 3; p++) {
      for (int row = 0; row < hidden; row++) {
        System.arraycopy(weights[p], row * hidden, packed, row * 3 * hidden + p * hidden, hidden);
      }
      System.arraycopy(biases[p], 0, packedBias, p * hidden, hidden);
    }
    String w = graph.weight(prefix + ".qkv.weight", packed, hidden, 3L * hidden);
    String b = graph.weight(prefix + ".qkv.bias", packedBias, 3L * hidden);
    return contribOp(
        "Attention",
        prefix + "/Attention",
        List.of(input, w, b, mask),
        attr("num_heads", (long) config.numAttentionHeads()),
        attr("mask_filter_value", PADDING_SCORE));
  }

  /**
   * LayerNorm(x + residual + {@code <prefix>.dense.bias}) with {@code <prefix>.LayerNorm}'s weight
   * and bias, as one {@code SkipLayerNormalization}.
   */
  private String skipLayerNorm(String prefix, String x, String residual) {
    String bias = parameter(prefix + ".dense.bias", hidden);
    String scale = parameter(prefix + ".LayerNorm.weight", hidden);
    String shift = parameter(prefix + ".LayerNorm.bias", hidden);
    return contribOp(
        "SkipLayerNormalization",
        prefix + "/SkipLayerNormalization",
        List.of(x, residual, scale, shift, bias),
        attr("epsilon", (float) config.layerNormEps()));
  }

  /** A node of ONNX Runtime's contrib domain whose output is named after it. */
  private String contribOp(
      String opType, String name, List<String> inputs, OnnxGraph.Attribute... attributes) {
    return graph.opInDomain(OnnxContract.CONTRIB_DOMAIN, opType, name, name, inputs, attributes);
  }
}
