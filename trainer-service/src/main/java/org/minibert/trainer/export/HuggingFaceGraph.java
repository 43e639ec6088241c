package org.minibert.trainer.export;

import static org.minibert.trainer.export.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Map;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertConfig;

/**
 * The Hugging Face graph ({@code model.onnx}): {@code BertForPreTraining} in standard ONNX
 * operators, the masked-LM scores at every position ({@code logits}) and the next-sentence logits;
 * the file any ONNX runtime, Optimum or transformers.js reads. See {@link BertOnnxExporter}.
 */
final class HuggingFaceGraph extends BertGraphBuilder {

  HuggingFaceGraph(BertConfig config, Map<String, float[]> parameters) {
    super(config, parameters, "masked-LM and next-sentence heads");
  }

  @Override
  ModelProto model() {
    Inputs inputs = declareInputs();
    String mask = additiveAttentionMask(inputs.attentionMask());
    String wordEmbeddings = wordEmbeddingTable();
    String hiddenStates = embeddings(inputs.inputIds(), inputs.tokenTypeIds(), wordEmbeddings);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      hiddenStates = layer("bert.encoder.layer." + i, hiddenStates, mask);
    }
    String nspLogits = nspHead(pooler(firstToken("bert.pooler/Gather_cls", hiddenStates)));
    String logits = lmHead(hiddenStates, wordEmbeddings, OnnxContract.LOGITS);
    graph.output(logits, FLOAT, BATCH, SEQUENCE, config.vocabSize());
    graph.output(nspLogits, FLOAT, BATCH, 2);
    return finish(docString(), false);
  }

  private static String docString() {
    return String.format(
        "Mini-BERT for pre-training, exported from DJL. Inputs %s int64 [%s, %s]; outputs"
            + " %s [%2$s, %3$s, vocab] (masked LM, every position) and %s [%2$s, 2] (class"
            + " %d = second segment follows the first).",
        String.join(", ", OnnxContract.INPUTS),
        BATCH,
        SEQUENCE,
        OnnxContract.LOGITS,
        OnnxContract.NSP_LOGITS,
        OnnxContract.NSP_IS_NEXT);
  }

  /**
   * attention_mask [B, T] of 1 (token) / 0 (padding) -> [B, 1, 1, T] of 0 / -10000, added to the
   * attention scores of every head and query so that padded keys get a softmax weight of ~0 (as
   * {@code extendedAttentionMask} in DJL).
   */
  private String additiveAttentionMask(String attentionMask) {
    String mask =
        graph.op(
            "Cast",
            "attention_mask/Cast",
            List.of(attentionMask),
            attr("to", (long) FLOAT.getNumber()));
    String padding =
        graph.op("Sub", "attention_mask/Sub", List.of(floatConstant("const.one", 1f), mask));
    String additive =
        graph.op(
            "Mul",
            "attention_mask/Mul",
            List.of(padding, floatConstant("const.minus_10000", PADDING_SCORE)));
    return graph.op(
        "Unsqueeze",
        "attention_mask/Unsqueeze",
        List.of(additive, int64Constant("const.axes_1_2", 1, 2)));
  }

  /**
   * One post-LN transformer layer: attention sub-layer, then LayerNorm(a + Dense(GELU(Dense(a)))).
   * The residual sums are named after the module that computes them in Hugging Face ({@code
   * output}, {@code attention.output}).
   */
  private String layer(String prefix, String input, String mask) {
    String attended = attention(prefix + ".attention", input, mask);
    String expanded =
        gelu(
            prefix + ".intermediate",
            dense(prefix + ".intermediate.dense", attended, hidden, config.intermediateSize()));
    String projected = dense(prefix + ".output.dense", expanded, config.intermediateSize(), hidden);
    return layerNorm(
        prefix + ".output.LayerNorm",
        graph.op("Add", prefix + ".output/Add_residual", List.of(projected, attended)));
  }

  /** LayerNorm(x + Dense(SelfAttention(x))). */
  private String attention(String prefix, String input, String mask) {
    String context = selfAttention(prefix + ".self", input, mask);
    String projected = dense(prefix + ".output.dense", context, hidden, hidden);
    return layerNorm(
        prefix + ".output.LayerNorm",
        graph.op("Add", prefix + ".output/Add_residual", List.of(projected, input)));
  }

  /**
   * Multi-head scaled dot-product attention, as {@code BertSelfAttention}: Q, K, V projections
   * split into heads ([B, T, H] -> [B, heads, T, head]; K straight to [B, heads, head, T]), Q
   * scaled by 1/sqrt(head), scores Q K^T plus the additive mask, softmax over the keys, the
   * weighted sum of V, and the heads joined back to [B, T, H].
   */
  private String selfAttention(String prefix, String input, String mask) {
    String q =
        splitHeads(prefix + ".query", dense(prefix + ".query", input, hidden, hidden), 0, 2, 1, 3);
    q =
        graph.op(
            "Mul",
            prefix + ".query/Mul_scale",
            List.of(
                q,
                floatConstant(
                    "const.attention_scale", (float) (1.0 / Math.sqrt(config.headSize())))));
    String kT =
        splitHeads(prefix + ".key", dense(prefix + ".key", input, hidden, hidden), 0, 2, 3, 1);
    String v =
        splitHeads(prefix + ".value", dense(prefix + ".value", input, hidden, hidden), 0, 2, 1, 3);

    String scores =
        graph.op("MatMul", prefix + "/MatMul_scores", List.of(q, kT)); // [B, heads, T, T]
    scores = graph.op("Add", prefix + "/Add_mask", List.of(scores, mask));
    String probs = graph.op("Softmax", prefix + "/Softmax", List.of(scores), attr("axis", -1L));
    String context =
        graph.op("MatMul", prefix + "/MatMul_context", List.of(probs, v)); // [B, heads, T, head]

    context =
        graph.op(
            "Transpose", prefix + "/Transpose_merge", List.of(context), attr("perm", 0, 2, 1, 3));
    // 0 in a Reshape shape copies that input dimension, so batch and sequence stay dynamic
    return graph.op(
        "Reshape",
        prefix + "/Reshape_merge",
        List.of(context, int64Constant("const.merge_heads_shape", 0, 0, hidden)));
  }

  /** [B, T, H] -> [B, T, heads, head] -> transposed by {@code perm}. */
  private String splitHeads(String prefix, String projected, long... perm) {
    String shape =
        int64Constant(
            "const.split_heads_shape", 0, 0, config.numAttentionHeads(), config.headSize());
    String split = graph.op("Reshape", prefix + "/Reshape_heads", List.of(projected, shape));
    return graph.op("Transpose", prefix + "/Transpose_heads", List.of(split), attr("perm", perm));
  }
}
