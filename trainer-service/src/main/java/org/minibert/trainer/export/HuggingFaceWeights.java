package org.minibert.trainer.export;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * The weights of a trained model as Hugging Face transformers' {@code BertForPreTraining} state
 * dict, written as {@code model.safetensors} next to {@code config.json}, so that {@code
 * BertForPreTraining.from_pretrained(folder)} loads the version folder.
 *
 * <p>The parameter names and layouts are already Hugging Face's (see {@link BertForPreTraining}):
 * dense weights [out, in] as in PyTorch's {@code nn.Linear}, embeddings [rows, H]. The state dict
 * also holds the tied decoder, {@code cls.predictions.decoder.weight} (= {@code
 * bert.embeddings.word_embeddings.weight}) and {@code cls.predictions.decoder.bias} (= {@code
 * cls.predictions.bias}), written here as copies: safetensors has no aliases, and transformers ties
 * them again on load.
 */
public final class HuggingFaceWeights {

  static final String WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";
  static final String DECODER_BIAS = "cls.predictions.bias";
  static final String TIED_DECODER_WEIGHT = "cls.predictions.decoder.weight";
  static final String TIED_DECODER_BIAS = "cls.predictions.decoder.bias";

  private HuggingFaceWeights() {}

  /** Writes the state dict of {@code model} to {@code file} (atomically). */
  public static void write(BertForPreTraining model, Path file) throws IOException {
    SafetensorsWriter.write(file, stateDict(model), SafetensorsWriter.PYTORCH_METADATA);
  }

  /** Every parameter under its Hugging Face name, in the model's order, then the tied decoder. */
  static List<SafetensorsWriter.Tensor> stateDict(BertForPreTraining model) {
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    SafetensorsWriter.Tensor word = null;
    SafetensorsWriter.Tensor bias = null;
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
      SafetensorsWriter.Tensor t =
          new SafetensorsWriter.Tensor(
              p.getKey(),
              p.getValue().getShape().getShape(),
              p.getValue().getArray().toFloatArray());
      tensors.add(t);
      if (t.name().equals(WORD_EMBEDDINGS)) {
        word = t;
      } else if (t.name().equals(DECODER_BIAS)) {
        bias = t;
      }
    }
    if (word == null || bias == null) {
      throw new IllegalStateException(
          "the model has no " + WORD_EMBEDDINGS + " or " + DECODER_BIAS + " to tie the decoder to");
    }
    tensors.add(new SafetensorsWriter.Tensor(TIED_DECODER_WEIGHT, word.shape(), word.values()));
    tensors.add(new SafetensorsWriter.Tensor(TIED_DECODER_BIAS, bias.shape(), bias.values()));
    return tensors;
  }
}
