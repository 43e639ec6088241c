package org.minibert.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.bench.ExportModel;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.tokenizer.SpecialTokens;

/**
 * inference-service's tests serve a tiny model committed in its {@code
 * src/test/resources/tiny-model}, so that they need neither the trainer nor an export step. This
 * test exports the same tiny model again with the current exporter ({@link ExportModel}) and fails
 * when the committed one no longer matches what the exporter writes: the files of the version
 * folder; the ONNX contract (IR version, opset, producer, the inputs and outputs with their element
 * types and axes, the operators used); {@code config.json}, {@code tokenizer_config.json}, {@code
 * metrics.json}; {@code tokenizer.json} (its learnt vocabulary by size and special-token ids only);
 * the fields of the parity figures. Weights and the names of initializers and nodes are not
 * compared: they change with every export and every renamed parameter without changing what the
 * service binds to. {@code -Dminibert.fixture.write=true} replaces the committed model with the
 * fresh export ({@value #REGENERATE}); commit the result.
 */
class TinyModelFixtureTest {
  static final String REGENERATE =
      "./mvnw -B -pl e2e -am test -Dtest=TinyModelFixtureTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dminibert.fixture.write=true";
  static final Path FIXTURE = Path.of("../inference-service/src/test/resources/tiny-model");
  static final Path CORPUS = Path.of("../samples/kowiki-sample.xml");
  static final int VOCAB_SIZE = 300;

  /** The committed test model has to stay small. */
  static final long MAX_BYTES = 512 * 1024;

  @TempDir Path work;

  @Test
  void committedTestModelMatchesWhatTheExporterWrites() throws Exception {
    Path fresh = ExportModel.export(work.resolve("tiny-model"), "tiny", VOCAB_SIZE, CORPUS);
    if (Boolean.getBoolean("minibert.fixture.write")) {
      write(fresh, FIXTURE);
    }
    String hint = " (regenerate: " + REGENERATE + ")";

    assertThat(files(FIXTURE).keySet())
        .as("files of %s%s", FIXTURE, hint)
        .containsExactlyElementsOf(files(fresh).keySet());
    for (String name : files(fresh).keySet()) {
      Path committed = FIXTURE.resolve(name);
      Path exported = fresh.resolve(name);
      String what = committed + " no longer matches the exporter" + hint;
      switch (name) {
        case ModelLayout.MODEL_ONNX, ModelLayout.MODEL_SERVING_ONNX ->
            assertThat(onnxContract(committed)).as(what).isEqualTo(onnxContract(exported));
        case ModelLayout.TOKENIZER_JSON ->
            assertThat(tokenizerContract(committed))
                .as(what)
                .isEqualTo(tokenizerContract(exported));
        default -> assertThat(json(committed)).as(what).isEqualTo(json(exported));
      }
    }
    assertThat(fieldNames(json(parity(FIXTURE))))
        .as("%s%s", parity(FIXTURE), hint)
        .isEqualTo(fieldNames(json(parity(fresh))));
    long bytes =
        files(FIXTURE).values().stream().mapToLong(Long::longValue).sum()
            + Files.size(parity(FIXTURE));
    assertThat(bytes).as("bytes of the committed test model").isLessThan(MAX_BYTES);
  }

  /**
   * The files of a folder (relative names, sorted) with their sizes; empty when there is no folder.
   */
  static Map<String, Long> files(Path folder) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> walk = Files.walk(folder)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          out.put(folder.relativize(f).toString().replace('\\', '/'), Files.size(f));
        }
      }
    }
    return out;
  }

  /** What a runtime and the service see of a model file, one line per item. */
  static String onnxContract(Path onnx) throws IOException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(onnx)) {
      model = ModelProto.parseFrom(in);
    }
    return String.join(
        "\n",
        "ir_version " + model.getIrVersion(),
        "opset "
            + model.getOpsetImportList().stream()
                .map(o -> o.getDomain() + ":" + o.getVersion())
                .toList(),
        "producer " + model.getProducerName(),
        "inputs "
            + model.getGraph().getInputList().stream()
                .map(TinyModelFixtureTest::valueInfo)
                .toList(),
        "outputs "
            + model.getGraph().getOutputList().stream()
                .map(TinyModelFixtureTest::valueInfo)
                .toList(),
        "operators "
            + model.getGraph().getNodeList().stream()
                .map(n -> n.getDomain() + ":" + n.getOpType())
                .collect(Collectors.toCollection(TreeSet::new)));
  }

  static String valueInfo(ValueInfoProto value) {
    var tensor = value.getType().getTensorType();
    return value.getName()
        + " "
        + TensorProto.DataType.forNumber(tensor.getElemType())
        + " "
        + tensor.getShape().getDimList().stream()
            .map(TinyModelFixtureTest::dim)
            .collect(Collectors.joining(", ", "[", "]"));
  }

  static String dim(TensorShapeProto.Dimension d) {
    return d.hasDimParam() ? d.getDimParam() : String.valueOf(d.getDimValue());
  }

  /**
   * tokenizer.json with its learnt vocabulary reduced to its size and the ids of the special
   * tokens.
   */
  static JsonNode tokenizerContract(Path file) throws IOException {
    ObjectNode tokenizer = (ObjectNode) json(file);
    JsonNode vocab = tokenizer.path("model").path("vocab");
    ObjectNode kept = Json.MAPPER.createObjectNode();
    kept.put("size", vocab.size());
    for (String special : SpecialTokens.ALL) {
      kept.set(special, vocab.get(special));
    }
    ((ObjectNode) tokenizer.path("model")).set("vocab", kept);
    return tokenizer;
  }

  static JsonNode json(Path file) throws IOException {
    return Json.MAPPER.readTree(file.toFile());
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.stream().sorted().toList();
  }

  static Path parity(Path folder) {
    return folder.resolveSibling(folder.getFileName() + ExportModel.PARITY_SUFFIX);
  }

  /** Replaces {@code target} and its parity figures with {@code source}'s. */
  static void write(Path source, Path target) throws IOException {
    FileTrees.deleteRecursively(target);
    for (String name : files(source).keySet()) {
      Files.createDirectories(target.resolve(name).getParent());
      Files.copy(source.resolve(name), target.resolve(name));
    }
    Files.deleteIfExists(parity(target));
    Files.copy(parity(source), parity(target));
    System.out.println("TinyModelFixtureTest: wrote " + target.toAbsolutePath().normalize());
  }
}
