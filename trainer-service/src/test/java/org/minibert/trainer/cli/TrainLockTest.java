package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.run.RunFolder;

/** A second {@code train} on a run folder another trainer is writing refuses with one line. */
class TrainLockTest {
  @TempDir Path tmp;

  @Test
  void trainRefusesARunFolderInUse() throws IOException {
    Path out = tmp.resolve("run");
    Path data = Files.createDirectories(tmp.resolve("data"));
    try (RunFolder.Lock firstTrainer = RunFolder.lock(out)) {
      Files.writeString(out.resolve("metrics.jsonl"), "{\"step\": 1}\n");
      for (String[] args :
          new String[][] {
            {"train", "--data", data.toString(), "--out", out.toString()},
            {"train", "--data", data.toString(), "--out", out.toString(), "--resume"}
          }) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errorLine())
            .isEqualTo(
                "minibert train: error: run folder "
                    + out
                    + " is in use by another trainer (process "
                    + ProcessHandle.current().pid()
                    + "): wait for it to finish, or choose another --out");
      }
      // nothing of the first trainer's was touched
      assertThat(out.resolve("metrics.jsonl")).hasContent("{\"step\": 1}");
    }
  }
}
