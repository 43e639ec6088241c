package org.minibert.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/**
 * Once on the shape that is trained for real: deep-6L-96D, vocabulary 8000, 128 positions, randomly
 * initialised.
 */
class RealShapeExportTest {

  @TempDir Path tmp;

  @Test
  void deep6LayerModelExportsWithinTolerance() throws Exception {
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      BertForPreTraining bert =
          new BertForPreTraining(BertConfig.resolve("deep-6L-96D").withVocabSize(8000));
      bert.initialize(manager);
      Path file = tmp.resolve("model.onnx");

      long start = System.nanoTime();
      ModelProto model = BertOnnxExporter.build(bert);
      BertOnnxExporter.write(model, file);
      double exportS = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      ParityCheck.Result parity =
          ParityCheck.check(bert, file, 3, 42); // an export runs 8: ~12 s cold, ~2 s warm, 2 cores
      double parityS = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "deep-6L-96D: %d nodes, %.1f MB, export %.2f s, parity %.2f s: %s%n",
          model.getGraph().getNodeCount(), Files.size(file) / 1e6, exportS, parityS, parity);

      assertThat(parity.passed()).as(parity.toString()).isTrue();
      assertThat(Files.size(file))
          .as("one copy of each parameter, float32")
          .isBetween(bert.parameterCount() * 4, bert.parameterCount() * 4 + 100_000);
    }
  }
}
