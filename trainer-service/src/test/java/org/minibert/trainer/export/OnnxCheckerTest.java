package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.onnx.global.onnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference ONNX checker (the C++ {@code onnx.checker} through JavaCPP) on the exported graph.
 * ONNX Runtime alone is not enough: it loads some invalid models (a LayerNormalization under opset
 * 13 loaded and ran), which other runtimes and tools then refuse.
 */
class OnnxCheckerTest {

  private static NDManager manager;
  private static ModelProto model;

  @BeforeAll
  static void export() {
    manager = NDManager.newBaseManager();
    model = BertOnnxExporter.build(TinyBert.random(manager, 3));
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void fullCheckWithStrictShapeInferenceAcceptsTheExport() {
    assertThatCode(() -> fullCheck(model)).doesNotThrowAnyException();
  }

  @Test
  void shapeInferenceKeepsBatchAndSequenceDynamicThroughTheAttention() {
    org.bytedeco.onnx.ModelProto inferred = parse(model);
    onnx.InferShapes(inferred);
    org.bytedeco.onnx.GraphProto graph = inferred.graph();
    List<String> scores = null;
    for (int i = 0; i < graph.value_info_size(); i++) {
      if (graph
          .value_info(i)
          .name()
          .getString()
          .equals("bert.encoder.layer.1.attention.self/MatMul_scores")) {
        org.bytedeco.onnx.TensorShapeProto shape = graph.value_info(i).type().tensor_type().shape();
        scores = new ArrayList<>();
        for (int d = 0; d < shape.dim_size(); d++) {
          var dim = shape.dim(d);
          scores.add(
              dim.has_dim_param() ? dim.dim_param().getString() : Long.toString(dim.dim_value()));
        }
      }
    }
    // [B, heads, T, T]: nothing frozen to a number. (Inference names the key and query length
    // "unk__N", not
    // "sequence": it cannot prove that the sliced position rows are as many as the input's, but
    // both are the same T.)
    assertThat(scores).as("[B, heads, T, T]").hasSize(4);
    assertThat(scores.subList(0, 2)).containsExactly("batch", "2");
    assertThat(scores.get(2)).isEqualTo(scores.get(3)).doesNotMatch("[0-9]+");
  }

  @Test
  void rejectsLayerNormalizationUnderAnOpsetThatLacksIt() {
    ModelProto opset16 =
        model.toBuilder()
            .setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(16))
            .build();
    assertThatThrownBy(() -> fullCheck(opset16)).hasMessageContaining("LayerNormalization");
  }

  @Test
  void rejectsANodeThatReadsAnUndefinedTensor() {
    ModelProto.Builder broken = model.toBuilder();
    broken.getGraphBuilder().getNodeBuilder(5).setInput(0, "no_such_tensor");
    assertThatThrownBy(() -> fullCheck(broken.build())).hasMessageContaining("no_such_tensor");
  }

  /**
   * check_model with full_check (strict shape inference), as {@code onnx.checker.check_model(m,
   * full_check=True)}.
   */
  private static void fullCheck(ModelProto model) {
    onnx.check_model(parse(model), true, false, false);
  }

  private static org.bytedeco.onnx.ModelProto parse(ModelProto model) {
    byte[] bytes = model.toByteArray();
    org.bytedeco.onnx.ModelProto parsed = new org.bytedeco.onnx.ModelProto();
    assertThat(parsed.ParseFromArray(new BytePointer(bytes), bytes.length))
        .as("parsed by the C++ protobuf")
        .isTrue();
    return parsed;
  }
}
