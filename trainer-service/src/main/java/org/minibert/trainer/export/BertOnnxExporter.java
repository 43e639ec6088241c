package org.minibert.trainer.export;

import static org.minibert.trainer.export.OnnxGraph.attr;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Writes a trained {@link BertForPreTraining} as an ONNX model: DJL has no ONNX exporter, so the
 * graph is spelled out here, one method per block of the DJL model and in the same order, from the
 * parameters listed in {@link BertForPreTraining}'s class comment.
 *
 * <h2>The model file</h2>
 *
 * The names, opset and IR version are {@link OnnxContract}'s, which the inference service binds
 * too.
 *
 * <ul>
 *   <li>Inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}: int64 [batch,
 *       sequence], both axes symbolic so one file serves any batch size and any length up to {@code
 *       max_position_embeddings}.
 *   <li>Outputs {@code logits} float [batch, sequence, vocab] (the masked-LM scores at
 *       <em>every</em> position, the name Hugging Face Optimum gives a fill-mask export) and {@code
 *       nsp_logits} float [batch, 2] (class 0 = "second follows first").
 *   <li>Opset 17 (the first with {@code LayerNormalization}), IR version 8 (the one opset 17 was
 *       released with, so runtimes from ONNX Runtime 1.13 on load it).
 *   <li>One initializer per trained parameter, named as the parameter (Hugging Face's {@code
 *       BertForPreTraining} names, {@code bert.encoder.layer.0.attention.self.query.weight}); dense
 *       weights are stored transposed, [in, out], so that {@code MatMul(x, W)} needs no Transpose
 *       node. The exception is the tied decoder: {@code bert.embeddings.word_embeddings.weight}
 *       [vocab, H] is stored once, read by the embedding {@code Gather} and by one {@code
 *       Transpose} in the LM head (ONNX Runtime folds that constant at load time), rather than a
 *       second [H, vocab] copy.
 *   <li>Node and tensor names follow the parameter names ({@code
 *       bert.encoder.layer.0.attention.self.query/MatMul}), so a viewer such as Netron shows the
 *       same structure as the Java classes and as Hugging Face's modules.
 * </ul>
 *
 * <h2>The serving graph</h2>
 *
 * {@link #buildServing} writes the same encoder with one more input, {@code mask_positions} int64
 * [masks, 2] of (row, token index) pairs, and computes only what its outputs read: the LM head runs
 * on those rows alone and normalises its scores there (a {@code LogSoftmax}), giving {@code
 * mask_log_probs} [masks, vocab], and the last layer, past its attention, runs only on those rows
 * and each sequence's [CLS] row ({@code fusedLastLayer}). Its encoder layers are written in ONNX
 * Runtime's fused operators ({@code fusedLayer}), the runtime the service serves it with; the
 * embeddings, pooler and both heads are node for node the ones above (see {@link OnnxContract}).
 * The parity check holds both graphs to the same tolerance.
 *
 * <p>Differences from the DJL code that do not change the numbers: GELU is written out as {@code
 * 0.5 x (1 + Erf(x / sqrt 2))} (opset 17 has no Gelu operator), dropout is absent (inference), and
 * position ids {@code 0 .. T-1} are a {@code Slice} of the first T rows of the position table, the
 * same rows a Gather of {@code Range(0, T)} would read.
 */
public final class BertOnnxExporter {

  public static final String PRODUCER = "minibert";

  /** The score added for a padded key, before the softmax (as DJL's attention mask adds). */
  private static final float PADDING_SCORE = -10000f;

  private static final TensorProto.DataType INT64 = TensorProto.DataType.INT64;
  private static final TensorProto.DataType FLOAT = TensorProto.DataType.FLOAT;
  private static final String BATCH = OnnxContract.BATCH_AXIS;
  private static final String SEQUENCE = OnnxContract.SEQUENCE_AXIS;

  private final BertConfig config;
  private final Map<String, float[]> unused;
  private final OnnxGraph graph;
  private final Map<String, String> constants = new HashMap<>();
  private final int hidden;
  private final boolean serving;

  private BertOnnxExporter(BertConfig config, Map<String, float[]> parameters, boolean serving) {
    this.config = config;
    this.serving = serving;
    this.unused = new LinkedHashMap<>(parameters);
    this.hidden = config.hiddenSize();
    this.graph =
        new OnnxGraph(
            "bert_for_pretraining",
            "BERT ("
                + config.numHiddenLayers()
                + " layers x "
                + hidden
                + ", "
                + config.numAttentionHeads()
                + " heads, vocabulary "
                + config.vocabSize()
                + ") with its masked-LM"
                + (serving ? " (at the given mask positions)" : "")
                + " and next-sentence heads");
  }

  /**
   * The model's parameters by name (see {@link BertForPreTraining#namedParameters()}), copied to
   * float arrays.
   */
  public static Map<String, float[]> parameters(BertForPreTraining model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
      values.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return values;
  }

  /** The ONNX model of a DJL model. */
  public static ModelProto build(BertForPreTraining model) {
    return build(model.config(), parameters(model));
  }

  /**
   * The ONNX model of a BERT with this config and these parameters (names and [out, in] layouts as
   * in {@link BertForPreTraining}).
   *
   * @throws IllegalArgumentException when a parameter is missing, has the wrong size, or is not
   *     used by the graph (which means the parameters belong to another config)
   */
  public static ModelProto build(BertConfig config, Map<String, float[]> parameters) {
    return new BertOnnxExporter(config, parameters, false).model();
  }

  /** The serving graph of a DJL model (see the class comment). */
  public static ModelProto buildServing(BertForPreTraining model) {
    return buildServing(model.config(), parameters(model));
  }

  /** The serving graph of a BERT with this config and these parameters (see {@link #build}). */
  public static ModelProto buildServing(BertConfig config, Map<String, float[]> parameters) {
    return new BertOnnxExporter(config, parameters, true).model();
  }

  /** Writes a model file atomically (a reader never sees half a model). */
  public static void write(ModelProto model, Path file) throws IOException {
    AtomicFiles.write(file, model::writeTo);
  }

  private ModelProto model() {
    String inputIds = graph.input(OnnxContract.INPUT_IDS, INT64, BATCH, SEQUENCE);
    String attentionMask = graph.input(OnnxContract.ATTENTION_MASK, INT64, BATCH, SEQUENCE);
    String tokenTypeIds = graph.input(OnnxContract.TOKEN_TYPE_IDS, INT64, BATCH, SEQUENCE);
    String maskPositions =
        serving
            ? graph.input(OnnxContract.MASK_POSITIONS, INT64, OnnxContract.MASKS_AXIS, 2)
            : null;

    String mask =
        serving ? attentionMaskInt32(attentionMask) : additiveAttentionMask(attentionMask);
    String word = "bert.embeddings.word_embeddings.weight";
    String wordEmbeddings =
        graph.weight(word, take(word, config.vocabSize() * hidden), config.vocabSize(), hidden);
    String hiddenStates = embeddings(inputIds, tokenTypeIds, wordEmbeddings);
    int layers = config.numHiddenLayers();
    for (int i = 0; i < (serving ? layers - 1 : layers); i++) {
      String prefix = "bert.encoder.layer." + i;
      hiddenStates =
          serving ? fusedLayer(prefix, hiddenStates, mask) : layer(prefix, hiddenStates, mask);
    }
    String nspLogits;
    if (serving) {
      HeadRows rows =
          fusedLastLayer("bert.encoder.layer." + (layers - 1), hiddenStates, mask, maskPositions);
      nspLogits = nspHead(pooler(rows.firstTokens()));
      String logits = lmHead(rows.masked(), wordEmbeddings, "cls.predictions.decoder/Add");
      // normalised here: ONNX Runtime's vectorised log-softmax saves the consumer a pass over
      // every logit of the vocabulary per mask
      String logProbs =
          graph.opWithOutput(
              "LogSoftmax",
              "cls.predictions/LogSoftmax",
              OnnxContract.MASK_LOG_PROBS,
              List.of(logits),
              attr("axis", -1L));
      graph.output(logProbs, FLOAT, OnnxContract.MASKS_AXIS, config.vocabSize());
    } else {
      nspLogits = nspHead(pooler(firstToken("bert.pooler/Gather_cls", hiddenStates)));
      String logits = lmHead(hiddenStates, wordEmbeddings, OnnxContract.LOGITS);
      graph.output(logits, FLOAT, BATCH, SEQUENCE, config.vocabSize());
    }
    graph.output(nspLogits, FLOAT, BATCH, 2);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          "parameters not used by a " + config.name() + " graph: " + unused.keySet());
    }
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(OnnxContract.IR_VERSION)
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxContract.OPSET));
    if (serving) {
      model.addOpsetImport(
          OperatorSetIdProto.newBuilder().setDomain(OnnxContract.CONTRIB_DOMAIN).setVersion(1));
    }
    return model
        .setProducerName(PRODUCER)
        .setProducerVersion(BuildInfo.version())
        .setDocString(serving ? servingDocString() : docString())
        .setGraph(graph.build())
        .build();
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

  /** word + token type + position vectors, then LayerNorm: [B, T] ids -> [B, T, H]. */
  private String embeddings(String inputIds, String tokenTypeIds, String wordEmbeddings) {
    String prefix = "bert.embeddings";
    String words =
        graph.op("Gather", prefix + ".word_embeddings/Gather", List.of(wordEmbeddings, inputIds));
    String typeTable =
        parameter(prefix + ".token_type_embeddings.weight", config.typeVocabSize(), hidden);
    String types =
        graph.op(
            "Gather", prefix + ".token_type_embeddings/Gather", List.of(typeTable, tokenTypeIds));
    // the positions 0 .. T-1 are the first T rows of the table: T comes from the input's shape, so
    // it stays dynamic
    String positionTable =
        parameter(prefix + ".position_embeddings.weight", config.maxPositionEmbeddings(), hidden);
    String length = dimension(prefix + ".position_embeddings/Shape", inputIds, 1);
    String positions =
        rows(
            prefix + ".position_embeddings/Slice",
            positionTable,
            int64Constant("const.zero", 0),
            length);

    String sum = graph.op("Add", prefix + "/Add_token_type", List.of(words, types));
    sum =
        graph.op(
            "Add",
            prefix + "/Add_position",
            List.of(sum, positions)); // [T, H] broadcast over the batch
    return layerNorm(prefix + ".LayerNorm", sum);
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

  /** The size of one axis of a tensor, as a rank-1 int64 tensor [size] (Slice bounds read it). */
  private String dimension(String name, String tensor, long axis) {
    return graph.op("Shape", name, List.of(tensor), attr("start", axis), attr("end", axis + 1));
  }

  /** Rows {@code from} to {@code to} (exclusive; rank-1 int64 bounds) of a tensor's first axis. */
  private String rows(String name, String tensor, String from, String to) {
    return graph.op("Slice", name, List.of(tensor, from, to, int64Constant("const.zero", 0)));
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

  /** The hidden state of each sequence's first token, [CLS]: [B, T, H] -> [B, H]. */
  private String firstToken(String name, String states) {
    return graph.op(
        "Gather", name, List.of(states, int64Scalar("const.first_token", 0)), attr("axis", 1L));
  }

  /** tanh(Dense(hidden state of the first token, [CLS])): [B, H] -> [B, H]. */
  private String pooler(String cls) {
    return graph.op(
        "Tanh", "bert.pooler/Tanh", List.of(dense("bert.pooler.dense", cls, hidden, hidden)));
  }

  /** The next-sentence classifier on the pooled vector: [B, H] -> nsp_logits [B, 2]. */
  private String nspHead(String pooled) {
    return dense("cls.seq_relationship", pooled, hidden, 2, OnnxContract.NSP_LOGITS);
  }

  /**
   * Masked-LM head: Dense + GELU + LayerNorm, then scores against the (tied) word embeddings plus a
   * per-word bias, on the last axis: [B, T, H] -> logits [B, T, vocab] at every position, or
   * [masks, H] -> [masks, vocab] in the serving graph (which normalises them).
   */
  private String lmHead(String hiddenStates, String wordEmbeddings, String output) {
    String prefix = "cls.predictions";
    String transformed =
        gelu(
            prefix + ".transform",
            dense(prefix + ".transform.dense", hiddenStates, hidden, hidden));
    transformed = layerNorm(prefix + ".transform.LayerNorm", transformed);
    // Hugging Face's decoder: weight tied to the word embeddings, bias = cls.predictions.bias
    String decoder =
        graph.op(
            "Transpose",
            prefix + ".decoder/Transpose",
            List.of(wordEmbeddings),
            attr("perm", 1, 0));
    String scores = graph.op("MatMul", prefix + ".decoder/MatMul", List.of(transformed, decoder));
    String bias = parameter(prefix + ".bias", config.vocabSize());
    return graph.opWithOutput("Add", prefix + ".decoder/Add", output, List.of(scores, bias));
  }

  /** x W, the bias left to a fused node that follows. */
  private String matMul(String prefix, String input, int in, int out) {
    float[] weight = transpose(take(prefix + ".weight", out * in), out, in);
    String w = graph.weight(prefix + ".weight", weight, in, out);
    return graph.op("MatMul", prefix + "/MatMul", List.of(input, w));
  }

  /** x W + b with a DJL Linear's weight [out, in] stored transposed as [in, out]. */
  private String dense(String prefix, String input, int in, int out) {
    return dense(prefix, input, in, out, prefix + "/Add");
  }

  private String dense(String prefix, String input, int in, int out, String output) {
    String product = matMul(prefix, input, in, out);
    return graph.opWithOutput(
        "Add", prefix + "/Add", output, List.of(product, parameter(prefix + ".bias", out)));
  }

  /** LayerNorm over the last axis with its weight (scale) and bias (shift). */
  private String layerNorm(String prefix, String input) {
    String scale = parameter(prefix + ".weight", hidden);
    String shift = parameter(prefix + ".bias", hidden);
    return graph.op(
        "LayerNormalization",
        prefix + "/LayerNormalization",
        List.of(input, scale, shift),
        attr("axis", -1L),
        attr("epsilon", (float) config.layerNormEps()));
  }

  /** The exact (erf) GELU that PyTorch's default computes: 0.5 x (1 + erf(x / sqrt 2)). */
  private String gelu(String prefix, String x) {
    String scaled =
        graph.op(
            "Div",
            prefix + "/Gelu/Div",
            List.of(x, floatConstant("const.sqrt_2", (float) Math.sqrt(2))));
    String erf = graph.op("Erf", prefix + "/Gelu/Erf", List.of(scaled));
    String onePlus =
        graph.op("Add", prefix + "/Gelu/Add", List.of(erf, floatConstant("const.one", 1f)));
    String gated = graph.op("Mul", prefix + "/Gelu/Mul", List.of(x, onePlus));
    return graph.op(
        "Mul", prefix + "/Gelu/Mul_half", List.of(gated, floatConstant("const.half", 0.5f)));
  }

  /** A parameter stored as trained, with the given shape. */
  private String parameter(String name, long... dims) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    return graph.weight(name, take(name, Math.toIntExact(size)), dims);
  }

  /** Removes a parameter from the ones still to use, checking its size. */
  private float[] take(String name, int size) {
    float[] values = unused.remove(name);
    if (values == null) {
      throw new IllegalArgumentException(
          "parameter " + name + " is missing (config " + config.name() + ")");
    }
    if (values.length != size) {
      throw new IllegalArgumentException(
          "parameter "
              + name
              + " has "
              + values.length
              + " values, config "
              + config.name()
              + " needs "
              + size);
    }
    return values;
  }

  /**
   * Constants are created on first use and shared, so that every initializer of the file is read by
   * some node.
   */
  private String floatConstant(String name, float value) {
    return constants.computeIfAbsent(name, n -> graph.scalar(n, value));
  }

  private String int64Constant(String name, long... values) {
    return constants.computeIfAbsent(name, n -> graph.int64s(n, values));
  }

  private String int64Scalar(String name, long value) {
    return constants.computeIfAbsent(name, n -> graph.int64Scalar(n, value));
  }

  /** [rows, cols] row-major -> [cols, rows] row-major. */
  private static float[] transpose(float[] matrix, int rows, int cols) {
    float[] t = new float[matrix.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = matrix[r * cols + c];
      }
    }
    return t;
  }
}
