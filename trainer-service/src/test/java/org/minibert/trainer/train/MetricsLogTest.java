package org.minibert.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir Path run;

  private static MetricsRecord train(long step) {
    return new MetricsRecord(
        MetricsRecord.TRAIN, step, 0, 9.0 - step * 0.01, 8.3, 0.7, 0.01, 0.5, 1e-4, 60, step);
  }

  @Test
  void writesJsonLinesWithTheDocumentedKeysAndACsv() throws IOException {
    try (MetricsLog log = MetricsLog.create(run)) {
      log.append(train(10));
      log.append(
          new MetricsRecord(MetricsRecord.VAL, 10, 0, 8.5, 7.9, 0.6, 0.05, 0.6, 1e-4, 0, 10));
      log.writeCsv();
    }
    List<String> lines = Files.readAllLines(run.resolve(MetricsLog.JSONL));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains(
            "\"split\":\"train\"",
            "\"step\":10",
            "\"epoch\":0",
            "\"loss\":",
            "\"mlm_loss\":",
            "\"nsp_loss\":",
            "\"mlm_accuracy\":",
            "\"nsp_accuracy\":",
            "\"lr\":",
            "\"seq_per_s\":");
    assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV)))
        .hasSize(3)
        .first()
        .asString()
        .startsWith("split,step,epoch,loss");
  }

  @Test
  void resumeDropsWhatWasLoggedAfterTheCheckpointAndATornLastLine() throws IOException {
    try (MetricsLog log = MetricsLog.create(run)) {
      for (long step = 10; step <= 50; step += 10) {
        log.append(train(step));
      }
    }
    Files.writeString(
        run.resolve(MetricsLog.JSONL), "{\"split\":\"tr", java.nio.file.StandardOpenOption.APPEND);
    try (MetricsLog log = MetricsLog.resume(run, 30)) {
      assertThat(log.records()).extracting(MetricsRecord::step).containsExactly(10L, 20L, 30L);
      log.append(train(40));
    }
    assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL)))
        .extracting(MetricsRecord::step)
        .containsExactly(10L, 20L, 30L, 40L);
  }

  @Test
  void drawsLossAndLearningRatePlots() throws IOException {
    List<MetricsRecord> records =
        List.of(
            train(10),
            train(20),
            new MetricsRecord(MetricsRecord.VAL, 20, 0, 8.5, 7.9, 0.6, 0.05, 0.6, 1e-4, 0, 20));
    TrainingPlots.write(run, records, "test run");
    assertThat(ImageIO.read(run.resolve(TrainingPlots.LOSS_PNG).toFile()).getWidth())
        .isEqualTo(900);
    assertThat(ImageIO.read(run.resolve(TrainingPlots.LR_PNG).toFile()).getHeight()).isEqualTo(500);
  }
}
