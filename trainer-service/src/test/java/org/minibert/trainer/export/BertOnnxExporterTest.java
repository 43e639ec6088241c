package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.core.registry.OnnxContract;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * The ONNX graph itself: the contract the inference service reads (names, types, dynamic axes) and
 * its hygiene.
 */
class BertOnnxExporterTest {

  private NDManager manager;
  private BertForPreTraining bert;
  private ModelProto model;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    bert = TinyBert.random(manager, 7);
    model = BertOnnxExporter.build(bert);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void declaresOpset17IrVersion8AndWhoMadeIt() {
    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getOpsetImportList())
        .singleElement()
        .satisfies(o -> assertThat(o.getDomain()).isEmpty())
        .satisfies(o -> assertThat(o.getVersion()).isEqualTo(17));
    assertThat(model.getProducerName()).isEqualTo("minibert");
    assertThat(model.getProducerVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(model.getDocString())
        .contains(
            "Inputs input_ids, attention_mask, token_type_ids int64 [batch, sequence]; "
                + "outputs logits [batch, sequence, vocab]",
            "nsp_logits [batch, 2] (class 0 = second segment follows");
    assertThat(model.getGraph().getName()).isEqualTo("bert_for_pretraining");
  }

  @Test
  void inputsAreInt64BatchBySequenceWithBothAxesDynamic() {
    assertThat(model.getGraph().getInputList())
        .extracting(ValueInfoProto::getName)
        .containsExactly("input_ids", "attention_mask", "token_type_ids");
    for (ValueInfoProto input : model.getGraph().getInputList()) {
      assertThat(elementType(input))
          .as(input.getName())
          .isEqualTo(TensorProto.DataType.INT64.getNumber());
      assertThat(dims(input)).as(input.getName()).containsExactly("batch", "sequence");
    }
  }

  @Test
  void outputsAreLogitsOverTheVocabularyAndNspLogits() {
    List<ValueInfoProto> outputs = model.getGraph().getOutputList();
    assertThat(outputs).extracting(ValueInfoProto::getName).containsExactly("logits", "nsp_logits");
    assertThat(outputs)
        .allSatisfy(
            o -> assertThat(elementType(o)).isEqualTo(TensorProto.DataType.FLOAT.getNumber()));
    assertThat(dims(outputs.get(0))).containsExactly("batch", "sequence", "150");
    assertThat(dims(outputs.get(1))).containsExactly("batch", "2");
  }

  @Test
  void everyParameterIsOneInitializerAndEveryInitializerIsRead() {
    Set<String> read = new HashSet<>();
    for (NodeProto node : model.getGraph().getNodeList()) {
      read.addAll(node.getInputList());
    }
    List<String> initializers =
        model.getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
    assertThat(initializers)
        .doesNotHaveDuplicates()
        .allSatisfy(name -> assertThat(read).contains(name));
    List<String> weights = initializers.stream().filter(n -> !n.startsWith("const.")).toList();
    assertThat(weights).containsExactlyInAnyOrderElementsOf(bert.namedParameters().keySet());
  }

  @Test
  void nodesAreNamedAfterTheParametersTheyUse() {
    assertThat(model.getGraph().getNodeList())
        .extracting(NodeProto::getName)
        .contains(
            "bert.embeddings.word_embeddings/Gather",
            "bert.encoder.layer.0.attention.self.query/MatMul",
            "bert.encoder.layer.1.intermediate/Gelu/Erf",
            "bert.encoder.layer.1.output.LayerNorm/LayerNormalization",
            "bert.encoder.layer.1.attention.output/Add_residual",
            "bert.pooler/Tanh",
            "cls.predictions.decoder/MatMul",
            "cls.seq_relationship/MatMul")
        .doesNotHaveDuplicates();
  }

  @Test
  void denseWeightsAreStoredTransposedAndLittleEndian() {
    String name = "bert.encoder.layer.0.attention.self.query.weight";
    float[] query = bert.namedParameters().get(name).getArray().toFloatArray(); // [out, in]
    TensorProto stored = initializer(name);
    assertThat(stored.getDimsList()).containsExactly(32L, 32L);
    var values =
        stored.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int out = 3;
    int in = 5;
    assertThat(values.get(in * 32 + out)).isEqualTo(query[out * 32 + in]); // stored [in, out]
  }

  @Test
  void servingGraphRunsEachLayerAsSevenFusedNodesOfOnnxRuntime() {
    ModelProto serving = BertOnnxExporter.buildServing(bert);
    assertThat(serving.getOpsetImportList())
        .anySatisfy(o -> assertThat(o.getDomain()).isEmpty())
        .anySatisfy(
            o -> {
              assertThat(o.getDomain()).isEqualTo("com.microsoft");
              assertThat(o.getVersion()).isEqualTo(1);
            });
    List<NodeProto> layer0 =
        serving.getGraph().getNodeList().stream()
            .filter(n -> n.getName().startsWith("bert.encoder.layer.0."))
            .toList();
    assertThat(layer0)
        .extracting(n -> n.getDomain() + ":" + n.getOpType())
        .containsExactly(
            "com.microsoft:Attention",
            ":MatMul",
            "com.microsoft:SkipLayerNormalization",
            ":MatMul",
            "com.microsoft:BiasGelu",
            ":MatMul",
            "com.microsoft:SkipLayerNormalization");
    // the packed projections replace query, key and value; every other parameter keeps its name
    Set<String> initializers = new HashSet<>();
    serving.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    assertThat(initializers)
        .contains("bert.encoder.layer.0.attention.self.qkv.weight")
        .doesNotContain("bert.encoder.layer.0.attention.self.query.weight")
        .contains("bert.encoder.layer.0.output.LayerNorm.weight", "cls.predictions.bias");
  }

  @Test
  void servingGraphRunsTheLastLayerPastItsAttentionOnlyAtTheRowsTheHeadsRead() {
    List<NodeProto> nodes = BertOnnxExporter.buildServing(bert).getGraph().getNodeList();
    Map<String, NodeProto> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));
    String last = "bert.encoder.layer.1";
    // the projection after the attention reads the gathered rows: mask positions, then [CLS]
    NodeProto projection = byName.get(last + ".attention.output.dense/MatMul");
    NodeProto rows = byName.get(projection.getInput(0));
    assertThat(rows.getOpType()).isEqualTo("Concat");
    assertThat(rows.getInputList())
        .extracting(input -> byName.get(input).getOpType())
        .containsExactly("GatherND", "Gather");
    assertThat(byName.get(rows.getInput(0)).getInputList())
        .containsExactly(last + ".attention.self/Attention", "mask_positions");
    // the heads read the two slices of the layer's output rows; no head reads [B, T, H]
    assertThat(byName.get("cls.predictions.transform.dense/MatMul").getInput(0))
        .isEqualTo(last + "/Slice_masked");
    assertThat(byName.get("bert.pooler.dense/MatMul").getInput(0))
        .isEqualTo(last + "/Slice_first_tokens");
    // the earlier layers are whole: layer 0's output goes into layer 1's attention only
    assertThat(nodes)
        .filteredOn(
            n -> n.getInputList().contains("bert.encoder.layer.0.output/SkipLayerNormalization"))
        .extracting(NodeProto::getName)
        .containsExactlyInAnyOrder(
            last + ".attention.self/Attention",
            last + "/input_rows/GatherND",
            last + "/input_rows/Gather_first_token");
  }

  @Test
  void servingGraphNormalisesTheMaskedLmScoresOverTheVocabulary() {
    ModelProto serving = BertOnnxExporter.buildServing(bert);
    assertThat(serving.getGraph().getOutputList())
        .extracting(o -> o.getName())
        .containsExactly(OnnxContract.MASK_LOG_PROBS, OnnxContract.NSP_LOGITS);
    NodeProto logSoftmax =
        serving.getGraph().getNodeList().stream()
            .filter(n -> n.getOutputList().contains(OnnxContract.MASK_LOG_PROBS))
            .findFirst()
            .orElseThrow();
    assertThat(logSoftmax.getOpType()).isEqualTo("LogSoftmax");
    assertThat(logSoftmax.getInputList()).containsExactly("cls.predictions.decoder/Add");
    assertThat(logSoftmax.getAttributeList())
        .singleElement()
        .satisfies(a -> assertThat(a.getName() + "=" + a.getI()).isEqualTo("axis=-1"));
  }

  @Test
  void refusesParametersOfAnotherShape() {
    Map<String, float[]> parameters = new LinkedHashMap<>(BertOnnxExporter.parameters(bert));
    parameters.put("bert.encoder.layer.2.output.dense.bias", new float[32]);
    assertThatThrownBy(() -> BertOnnxExporter.build(TinyBert.CONFIG, parameters))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not used")
        .hasMessageContaining("bert.encoder.layer.2");

    parameters.remove("bert.encoder.layer.2.output.dense.bias");
    parameters.put("cls.seq_relationship.bias", new float[3]);
    assertThatThrownBy(() -> BertOnnxExporter.build(TinyBert.CONFIG, parameters))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cls.seq_relationship.bias has 3 values");

    parameters.remove("cls.seq_relationship.bias");
    assertThatThrownBy(() -> BertOnnxExporter.build(TinyBert.CONFIG, parameters))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cls.seq_relationship.bias is missing");
  }

  private TensorProto initializer(String name) {
    return model.getGraph().getInitializerList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static int elementType(ValueInfoProto value) {
    return value.getType().getTensorType().getElemType();
  }

  /** Each dimension as its symbol, or its size as text. */
  private static List<String> dims(ValueInfoProto value) {
    return value.getType().getTensorType().getShape().getDimList().stream()
        .map(
            d ->
                d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM
                    ? d.getDimParam()
                    : Long.toString(d.getDimValue()))
        .toList();
  }
}
