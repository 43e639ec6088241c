package org.minibert.core.registry;

import java.util.List;

/**
 * The contract of a published {@link ModelLayout#MODEL_ONNX}: what the exporter writes, what the
 * parity check feeds and reads, and what the inference service binds. One place, so the three
 * cannot drift apart.
 *
 * <pre>
 * inputs   input_ids, attention_mask, token_type_ids   int64 [batch, sequence]
 * outputs  logits       float [batch, sequence, vocab]   masked-LM scores at every position (Hugging Face Optimum's name)
 *          nsp_logits   float [batch, 2]                 index 0 = "second follows first" (BERT's convention)
 * </pre>
 *
 * {@code batch} and {@code sequence} are dynamic axes; {@code vocab} is fixed by the model's {@code
 * config.json}.
 *
 * <h2>The serving graph</h2>
 *
 * {@link ModelLayout#MODEL_SERVING_ONNX}, optional beside {@code model.onnx}: the same encoder and
 * weights, but the masked-LM head runs only where it is asked for, so a batch costs [masks, vocab]
 * scores instead of [batch, sequence, vocab].
 *
 * <pre>
 * inputs   input_ids, attention_mask, token_type_ids   int64 [batch, sequence]
 *          mask_positions  int64 [masks, 2]            (row, token index) pairs, any order; [0, 2] for none
 * outputs  mask_log_probs  float [masks, vocab]        the masked-LM log-probabilities of those positions, in their order
 *          nsp_logits      float [batch, 2]            as above
 * </pre>
 *
 * The masked-LM scores come out normalised (a {@code LogSoftmax} over the vocabulary, which ONNX
 * Runtime computes vectorised in a few microseconds per mask), so a consumer takes the top-k and
 * exponentiates them without a pass of its own over every logit. Serving graphs exported before it
 * had the raw scores as {@code mask_logits} instead ({@link #MASK_LOGITS}); the inference service
 * still serves them and normalises those itself.
 *
 * <p>ONNX Runtime computes only the requested outputs' subgraphs: asking for {@code nsp_logits}
 * alone skips the masked-LM head (the {@code mask_positions} input is still fed, empty).
 *
 * <p>The serving graph is written for ONNX Runtime, the one runtime that serves it: its encoder
 * uses ONNX Runtime's fused operators of the {@link #CONTRIB_DOMAIN} domain ({@code Attention},
 * {@code SkipLayerNormalization}, {@code BiasGelu}), which its CPU and CUDA providers both
 * implement. {@code model.onnx} stays standard ONNX for every other runtime.
 */
public final class OnnxContract {
  /** Opset 17 is the first with {@code LayerNormalization}. */
  public static final int OPSET = 17;

  /**
   * The IR version released with opset 17 (ONNX 1.12), so every runtime that knows the opset reads
   * the file.
   */
  public static final int IR_VERSION = 8;

  /** ONNX Runtime's contrib operators, used by the serving graph (version 1 of the domain). */
  public static final String CONTRIB_DOMAIN = "com.microsoft";

  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";

  public static final String LOGITS = "logits";
  public static final String NSP_LOGITS = "nsp_logits";

  /** Serving graph input: the (row, token index) pairs whose masked-LM scores are wanted. */
  public static final String MASK_POSITIONS = "mask_positions";

  /**
   * Serving graph output: the masked-LM log-probabilities (log-softmax over the vocabulary) of the
   * {@link #MASK_POSITIONS}, [masks, vocab].
   */
  public static final String MASK_LOG_PROBS = "mask_log_probs";

  /**
   * The output of serving graphs exported before {@link #MASK_LOG_PROBS}: the raw masked-LM scores
   * (logits) of the {@link #MASK_POSITIONS}, [masks, vocab]. Read, never written.
   */
  public static final String MASK_LOGITS = "mask_logits";

  /** The dynamic axes, by the names the graph gives them. */
  public static final String BATCH_AXIS = "batch";

  public static final String SEQUENCE_AXIS = "sequence";

  /** The serving graph's axis of {@link #MASK_POSITIONS}. */
  public static final String MASKS_AXIS = "masks";

  /** The inputs in the order the graph declares them. */
  public static final List<String> INPUTS = List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  /** The outputs in the order the graph declares them. */
  public static final List<String> OUTPUTS = List.of(LOGITS, NSP_LOGITS);

  /** The serving graph's inputs in the order it declares them. */
  public static final List<String> SERVING_INPUTS =
      List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, MASK_POSITIONS);

  /** The serving graph's outputs in the order it declares them. */
  public static final List<String> SERVING_OUTPUTS = List.of(MASK_LOG_PROBS, NSP_LOGITS);

  /**
   * The graphs a version may hold, as its manifest lists them: {@code model.onnx} always, {@code
   * model.serving.onnx} from exports that write it.
   */
  public static final List<Manifest.Graph> GRAPHS =
      List.of(
          new Manifest.Graph(
              ModelLayout.MODEL_ONNX,
              "Hugging Face layout (transformers.js, Optimum): masked-LM scores at every position",
              INPUTS,
              OUTPUTS),
          new Manifest.Graph(
              ModelLayout.MODEL_SERVING_ONNX,
              "the inference service's: masked-LM head at the given mask positions only, as"
                  + " log-probabilities, and"
                  + " the last layer past its attention at those and the [CLS] rows only;"
                  + " nsp_logits alone skips the LM head",
              SERVING_INPUTS,
              SERVING_OUTPUTS));

  /** Index of "second follows first" in {@link #NSP_LOGITS}. */
  public static final int NSP_IS_NEXT = 0;

  private OnnxContract() {}
}
