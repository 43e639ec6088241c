package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * DJL vs ONNX Runtime on a randomly initialised tiny model; the trained case is in {@link
 * VersionFolderWriterTest}.
 */
class ParityCheckTest {

  @TempDir Path tmp;
  private NDManager manager;
  private BertForPreTraining bert;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    bert = TinyBert.random(manager, 11);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void theExportReproducesTheDjlModel() throws Exception {
    Path file = tmp.resolve("model.onnx");
    BertOnnxExporter.write(BertOnnxExporter.build(bert), file);

    ParityCheck.Result parity = ParityCheck.check(bert, file, 8, 1);

    assertThat(parity.passed()).as(parity.toString()).isTrue();
    assertThat(parity.maxAbsDiff()).isLessThan(1e-4);
    assertThat(parity.paddedLogitsMaxAbsDiff())
        .as("padded positions are computed alike too")
        .isLessThan(1e-4);
    assertThat(parity.batches()).isEqualTo(8);
    assertThat(parity.toManifest().maxAbsDiff()).isEqualTo(parity.maxAbsDiff());
    assertThat(parity.toManifest().tolerance()).isEqualTo(ParityCheck.TOLERANCE);
  }

  @Test
  void bigEndianWeightsLoadAndRunButFailParity() throws Exception {
    Path file = tmp.resolve("big-endian.onnx");
    ModelProto broken = TinyBert.bigEndian(BertOnnxExporter.build(bert));
    BertOnnxExporter.write(broken, file);

    ParityCheck.Result parity = ParityCheck.check(bert, file, 2, 1);

    assertThat(parity.passed()).isFalse();
    assertThat(parity.maxAbsDiff())
        .as("NaN or far off")
        .satisfiesAnyOf(d -> assertThat(d).isNaN(), d -> assertThat(d).isGreaterThan(1.0));
  }

  @Test
  void theServingGraphReproducesTheDjlModelAtEveryPositionAndForNspAlone() throws Exception {
    Path file = tmp.resolve("model.onnx");
    Path serving = tmp.resolve("model.serving.onnx");
    BertOnnxExporter.write(BertOnnxExporter.build(bert), file);
    BertOnnxExporter.write(BertOnnxExporter.buildServing(bert), serving);

    ParityCheck.Result parity = ParityCheck.check(bert, file, serving, 4, 1);

    assertThat(parity.passed()).as(parity.toString()).isTrue();
    assertThat(parity.servingMaxAbsDiff()).isGreaterThan(0).isLessThan(1e-4);
  }

  @Test
  void aBrokenServingGraphFailsParityEvenWhenModelOnnxIsRight() throws Exception {
    Path file = tmp.resolve("model.onnx");
    Path serving = tmp.resolve("model.serving.onnx");
    BertOnnxExporter.write(BertOnnxExporter.build(bert), file);
    BertOnnxExporter.write(TinyBert.bigEndian(BertOnnxExporter.buildServing(bert)), serving);

    ParityCheck.Result parity = ParityCheck.check(bert, file, serving, 2, 1);

    assertThat(parity.logitsMaxAbsDiff()).isLessThan(1e-4);
    assertThat(parity.passed()).isFalse();
  }

  @Test
  void sameSeedSameFigures() throws Exception {
    Path file = tmp.resolve("model.onnx");
    BertOnnxExporter.write(BertOnnxExporter.build(bert), file);
    assertThat(ParityCheck.check(bert, file, 3, 5)).isEqualTo(ParityCheck.check(bert, file, 3, 5));
  }
}
