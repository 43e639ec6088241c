package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * {@code model.safetensors} of a tiny model, read back by an independent parser and compared with
 * the initializers of the {@code model.onnx} written from the same model.
 */
class HuggingFaceWeightsTest {

  @TempDir static Path tmp;
  static NDManager manager;
  static BertForPreTraining bert;
  static SafetensorsReader.File file;
  static ModelProto onnx;

  @BeforeAll
  static void export() throws IOException {
    manager = NDManager.newBaseManager();
    bert = TinyBert.random(manager, 7);
    Path onnxFile = tmp.resolve("model.onnx");
    BertOnnxExporter.write(BertOnnxExporter.build(bert), onnxFile);
    Path weights = tmp.resolve("model.safetensors");
    HuggingFaceWeights.write(bert, weights);
    file = SafetensorsReader.read(weights);
    try (InputStream in = Files.newInputStream(onnxFile)) {
      onnx = ModelProto.parseFrom(in);
    }
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void headerIsAlignedJsonWithPyTorchMetadata() {
    assertThat(file.headerLength() % 8).isZero();
    assertThat(file.headerText()).startsWith("{").doesNotContain("\n");
    assertThat(file.headerText().strip()).endsWith("}");
    assertThat(file.metadata()).containsExactly(Map.entry("format", "pt"));
    assertThat(file.tensors().values()).allSatisfy(t -> assertThat(t.dtype()).isEqualTo("F32"));
  }

  @Test
  void namesAndShapesAreHuggingFaceBertForPreTrainingStateDict() {
    int h = 32;
    int v = 150;
    Map<String, long[]> expected =
        Map.of(
            "bert.embeddings.word_embeddings.weight", new long[] {v, h},
            "bert.embeddings.position_embeddings.weight", new long[] {16, h},
            "bert.embeddings.token_type_embeddings.weight", new long[] {2, h},
            "bert.encoder.layer.1.intermediate.dense.weight", new long[] {64, h},
            "bert.encoder.layer.1.output.dense.weight", new long[] {h, 64},
            "cls.predictions.bias", new long[] {v},
            "cls.predictions.decoder.weight", new long[] {v, h},
            "cls.predictions.decoder.bias", new long[] {v},
            "cls.predictions.transform.dense.weight", new long[] {h, h},
            "cls.seq_relationship.weight", new long[] {2, h});
    expected.forEach(
        (name, shape) -> assertThat(file.tensors().get(name).shape()).as(name).isEqualTo(shape));
    // 2 layers x 16 tensors + 5 embeddings + 2 pooler + 5 LM head + 2 NSP + 2 tied decoder
    assertThat(file.tensors()).hasSize(2 * 16 + 5 + 2 + 5 + 2 + 2);
    assertThat(file.tensors().keySet())
        .containsAll(bert.namedParameters().keySet())
        .contains("bert.encoder.layer.0.attention.output.LayerNorm.weight");
  }

  @Test
  void theDecoderIsTiedToTheWordEmbeddingsAndTheBias() {
    assertThat(
            Arrays.equals(
                file.tensors().get("cls.predictions.decoder.weight").values(),
                file.tensors().get("bert.embeddings.word_embeddings.weight").values()))
        .isTrue();
    assertThat(
            Arrays.equals(
                file.tensors().get("cls.predictions.decoder.bias").values(),
                file.tensors().get("cls.predictions.bias").values()))
        .isTrue();
  }

  /**
   * model.onnx stores dense weights transposed ([in, out], see {@link BertOnnxExporter}); embedding
   * tables, biases and LayerNorm as they are. Hugging Face has [out, in].
   */
  @Test
  void everyWeightEqualsItsOnnxInitializer() {
    List<TensorProto> initializers =
        onnx.getGraph().getInitializerList().stream()
            .filter(t -> !t.getName().startsWith("const."))
            .toList();
    assertThat(initializers).hasSize(bert.namedParameters().size());
    for (TensorProto init : initializers) {
      SafetensorsReader.Tensor tensor = file.tensors().get(init.getName());
      assertThat(tensor).as(init.getName()).isNotNull();
      float[] stored = new float[Math.toIntExact(tensor.values().length)];
      init.getRawData()
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(stored);
      long[] dims = init.getDimsList().stream().mapToLong(Long::longValue).toArray();
      boolean transposed = dims.length == 2 && !init.getName().contains("embeddings");
      if (transposed) {
        assertThat(tensor.shape()).as(init.getName()).containsExactly(dims[1], dims[0]);
        stored = transpose(stored, (int) dims[0], (int) dims[1]);
      } else {
        assertThat(tensor.shape()).as(init.getName()).isEqualTo(dims);
      }
      assertThat(Arrays.mismatch(tensor.values(), stored))
          .as("first differing value of %s (-1: none)", init.getName())
          .isEqualTo(-1);
    }
  }

  @Test
  void refusesATensorWhoseShapeDoesNotMatchItsValues() {
    assertThatThrownBy(() -> new SafetensorsWriter.Tensor("w", new long[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w has shape [2, 3] (6 values) but 5 values");
    assertThatThrownBy(
            () ->
                SafetensorsWriter.header(
                    List.of(
                        new SafetensorsWriter.Tensor("w", new long[] {1}, new float[1]),
                        new SafetensorsWriter.Tensor("w", new long[] {1}, new float[1])),
                    SafetensorsWriter.PYTORCH_METADATA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w appears twice");
  }

  /** [rows, cols] row-major -> [cols, rows]. */
  private static float[] transpose(float[] values, int rows, int cols) {
    float[] out = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = values[r * cols + c];
      }
    }
    return out;
  }
}
