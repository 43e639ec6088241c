package org.minibert.trainer.export;

import static org.minibert.trainer.export.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertConfig;

/**
 * What both graphs of a {@link org.minibert.trainer.model.BertForPreTraining} are built from: the
 * parameters still to place, the graph under construction, and the blocks the two share node for
 * node (embeddings, pooler, both heads, dense layers, LayerNorm, constants). {@link
 * HuggingFaceGraph} and {@link ServingGraph} add their encoder layers and outputs; {@link
 * BertOnnxExporter} is the entry point.
 */
abstract class BertGraphBuilder {
  static final TensorProto.DataType INT64 = TensorProto.DataType.INT64;
  static final TensorProto.DataType FLOAT = TensorProto.DataType.FLOAT;
  static final String BATCH = OnnxContract.BATCH_AXIS;
  static final String SEQUENCE = OnnxContract.SEQUENCE_AXIS;

  /** The score added for a padded key, before the softmax (as DJL's attention mask adds). */
  static final float PADDING_SCORE = -10000f;

  static final String WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";

  final BertConfig config;
  final OnnxGraph graph;
  final int hidden;
  private final Map<String, float[]> unused;
  private final Map<String, String> constants = new HashMap<>();

  /**
   * @param heads what the graph's heads compute, for its description
   */
  BertGraphBuilder(BertConfig config, Map<String, float[]> parameters, String heads) {
    this.config = config;
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
                + ") with its "
                + heads);
  }

  /** The whole model file. */
  abstract ModelProto model();

  /** The three inputs both graphs take, int64 [batch, sequence]. */
  record Inputs(String inputIds, String attentionMask, String tokenTypeIds) {}

  /** Declares the three inputs every graph takes, in {@link OnnxContract#INPUTS}' order. */
  Inputs declareInputs() {
    return new Inputs(
        graph.input(OnnxContract.INPUT_IDS, INT64, BATCH, SEQUENCE),
        graph.input(OnnxContract.ATTENTION_MASK, INT64, BATCH, SEQUENCE),
        graph.input(OnnxContract.TOKEN_TYPE_IDS, INT64, BATCH, SEQUENCE));
  }

  /** The word embedding table [vocab, H], read by the embeddings and by the tied LM decoder. */
  String wordEmbeddingTable() {
    return graph.weight(
        WORD_EMBEDDINGS,
        take(WORD_EMBEDDINGS, config.vocabSize() * hidden),
        config.vocabSize(),
        hidden);
  }

  /**
   * The model file around the finished graph.
   *
   * @param contribOps whether the graph uses ONNX Runtime's contrib operators
   * @throws IllegalArgumentException when a parameter was not used (it belongs to another config)
   */
  ModelProto finish(String docString, boolean contribOps) {
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          "parameters not used by a " + config.name() + " graph: " + unused.keySet());
    }
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(OnnxContract.IR_VERSION)
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxContract.OPSET));
    if (contribOps) {
      model.addOpsetImport(
          OperatorSetIdProto.newBuilder().setDomain(OnnxContract.CONTRIB_DOMAIN).setVersion(1));
    }
    return model
        .setProducerName(BertOnnxExporter.PRODUCER)
        .setProducerVersion(BuildInfo.version())
        .setDocString(docString)
        .setGraph(graph.build())
        .build();
  }

  /** word + token type + position vectors, then LayerNorm: [B, T] ids -> [B, T, H]. */
  String embeddings(String inputIds, String tokenTypeIds, String wordEmbeddings) {
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

  /** The size of one axis of a tensor, as a rank-1 int64 tensor [size] (Slice bounds read it). */
  String dimension(String name, String tensor, long axis) {
    return graph.op("Shape", name, List.of(tensor), attr("start", axis), attr("end", axis + 1));
  }

  /** Rows {@code from} to {@code to} (exclusive; rank-1 int64 bounds) of a tensor's first axis. */
  String rows(String name, String tensor, String from, String to) {
    return graph.op("Slice", name, List.of(tensor, from, to, int64Constant("const.zero", 0)));
  }

  /** The hidden state of each sequence's first token, [CLS]: [B, T, H] -> [B, H]. */
  String firstToken(String name, String states) {
    return graph.op(
        "Gather", name, List.of(states, int64Scalar("const.first_token", 0)), attr("axis", 1L));
  }

  /** tanh(Dense(hidden state of the first token, [CLS])): [B, H] -> [B, H]. */
  String pooler(String cls) {
    return graph.op(
        "Tanh", "bert.pooler/Tanh", List.of(dense("bert.pooler.dense", cls, hidden, hidden)));
  }

  /** The next-sentence classifier on the pooled vector: [B, H] -> nsp_logits [B, 2]. */
  String nspHead(String pooled) {
    return dense("cls.seq_relationship", pooled, hidden, 2, OnnxContract.NSP_LOGITS);
  }

  /**
   * Masked-LM head: Dense + GELU + LayerNorm, then scores against the (tied) word embeddings plus a
   * per-word bias, on the last axis: [B, T, H] -> logits [B, T, vocab] at every position, or
   * [masks, H] -> [masks, vocab] in the serving graph (which normalises them).
   */
  String lmHead(String hiddenStates, String wordEmbeddings, String output) {
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
  String matMul(String prefix, String input, int in, int out) {
    float[] weight = transpose(take(prefix + ".weight", out * in), out, in);
    String w = graph.weight(prefix + ".weight", weight, in, out);
    return graph.op("MatMul", prefix + "/MatMul", List.of(input, w));
  }

  /** x W + b with a DJL Linear's weight [out, in] stored transposed as [in, out]. */
  String dense(String prefix, String input, int in, int out) {
    return dense(prefix, input, in, out, prefix + "/Add");
  }

  String dense(String prefix, String input, int in, int out, String output) {
    String product = matMul(prefix, input, in, out);
    return graph.opWithOutput(
        "Add", prefix + "/Add", output, List.of(product, parameter(prefix + ".bias", out)));
  }

  /** LayerNorm over the last axis with its weight (scale) and bias (shift). */
  String layerNorm(String prefix, String input) {
    String scale = parameter(prefix + ".weight", hidden);
    String shift = parameter(prefix + ".bias", hidden);
    return graph.op(
        "LayerNormalization",
        prefix + "/LayerNormalization",
        List.of(input, scale, shift),
        attr("axis", -1L),
        attr("epsilon", (float) config.layerNormEps()));
  }

  /** A parameter stored as trained, with the given shape. */
  String parameter(String name, long... dims) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    return graph.weight(name, take(name, Math.toIntExact(size)), dims);
  }

  /** Removes a parameter from the ones still to use, checking its size. */
  float[] take(String name, int size) {
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
  String floatConstant(String name, float value) {
    return constants.computeIfAbsent(name, n -> graph.scalar(n, value));
  }

  String int64Constant(String name, long... values) {
    return constants.computeIfAbsent(name, n -> graph.int64s(n, values));
  }

  String int64Scalar(String name, long value) {
    return constants.computeIfAbsent(name, n -> graph.int64Scalar(n, value));
  }

  /** [rows, cols] row-major -> [cols, rows] row-major. */
  static float[] transpose(float[] matrix, int rows, int cols) {
    float[] t = new float[matrix.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = matrix[r * cols + c];
      }
    }
    return t;
  }

  /** The exact (erf) GELU that PyTorch's default computes: 0.5 x (1 + erf(x / sqrt 2)). */
  String gelu(String prefix, String x) {
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
}
