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
 */
public final class OnnxContract {
  /** Opset 17 is the first with {@code LayerNormalization}. */
  public static final int OPSET = 17;

  /**
   * The IR version released with opset 17 (ONNX 1.12), so every runtime that knows the opset reads
   * the file.
   */
  public static final int IR_VERSION = 8;

  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";

  public static final String LOGITS = "logits";
  public static final String NSP_LOGITS = "nsp_logits";

  /** The dynamic axes, by the names the graph gives them. */
  public static final String BATCH_AXIS = "batch";

  public static final String SEQUENCE_AXIS = "sequence";

  /** The inputs in the order the graph declares them. */
  public static final List<String> INPUTS = List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  /** The outputs in the order the graph declares them. */
  public static final List<String> OUTPUTS = List.of(LOGITS, NSP_LOGITS);

  /** Index of "second follows first" in {@link #NSP_LOGITS}. */
  public static final int NSP_IS_NEXT = 0;

  private OnnxContract() {}
}
