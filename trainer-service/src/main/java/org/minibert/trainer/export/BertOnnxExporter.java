package org.minibert.trainer.export;

import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

  private BertOnnxExporter() {}

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
    return new HuggingFaceGraph(config, parameters).model();
  }

  /** The serving graph of a DJL model (see the class comment). */
  public static ModelProto buildServing(BertForPreTraining model) {
    return buildServing(model.config(), parameters(model));
  }

  /** The serving graph of a BERT with this config and these parameters (see {@link #build}). */
  public static ModelProto buildServing(BertConfig config, Map<String, float[]> parameters) {
    return new ServingGraph(config, parameters).model();
  }

  /** Writes a model file atomically (a reader never sees half a model). */
  public static void write(ModelProto model, Path file) throws IOException {
    AtomicFiles.write(file, model::writeTo);
  }
}
