package org.minibert.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.TinyRuns;
import org.minibert.trainer.TrainerCli;
import org.minibert.trainer.run.Checkpoint;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.RunFolder;
import org.minibert.trainer.train.MetricsLog;
import org.minibert.trainer.train.MetricsRecord;

/**
 * {@code train --resume} after a crash: a trainer killed with SIGKILL in the middle of a checkpoint
 * save, a start that crashed before its first checkpoint, and a folder that was never a run.
 */
class TrainCrashTest {
  @TempDir static Path shared;
  static Path data;
  static Path tiny;

  @BeforeAll
  static void prepare() {
    data = TinyRuns.prepareSample(shared.resolve("data"), 300, 32);
    tiny = TinyRuns.tinyConfig(shared.resolve("tiny.json"), 16, 1, 32);
  }

  static List<String> train(Path run, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--data",
                data.toString(),
                "--config",
                tiny.toString(),
                "--out",
                run.toString(),
                "--max-steps",
                "6",
                "--checkpoint-every",
                "2",
                "--log-every",
                "1",
                "--eval-instances",
                "16"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void resumeRefusesAndKeepsAFolderThatIsNoRun(@TempDir Path home) throws IOException {
    Files.writeString(home.resolve("thesis.txt"), "years of work");
    CliRun run = CliRun.of(train(home, "--resume").toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errorLine())
        .doesNotContain("\n")
        .contains("is no training run", RunFolder.MARKER, "nothing deleted");
    assertThat(home.resolve("thesis.txt")).hasContent("years of work");
  }

  @Test
  void resumeRestartsARunThatCrashedBeforeItsFirstCheckpoint(@TempDir Path tmp) throws IOException {
    Path run = tmp.resolve("run");
    RunFolder.create(run);
    Files.writeString(run.resolve(RunConfig.FILE), "{\"half\": ");
    CliRun train = CliRun.of(train(run, "--resume").toArray(String[]::new));
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(Checkpoint.readState(Checkpoint.latest(run).orElseThrow()).step()).isEqualTo(6);
    assertThat(run.resolve(RunFolder.MARKER)).exists();
  }

  @Test
  void aTrainerKilledDuringACheckpointSaveResumes(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                // every save waits before its rename: the window to kill the trainer in
                "-Dminibert.checkpoint.pause-before-rename-ms=1500",
                "-cp",
                System.getProperty("java.class.path"),
                TrainerCli.class.getName()));
    command.addAll(train(run));
    Process trainer =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("trainer.log").toFile())
            .start();
    try {
      Path saving = awaitTemporaryCheckpoint(run, "step-000000004", trainer);
      trainer.destroyForcibly(); // SIGKILL
      assertThat(trainer.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(saving).as("killed mid-save").exists();
    } finally {
      trainer.destroyForcibly();
    }
    assertThat(Checkpoint.readState(Checkpoint.latest(run).orElseThrow()).step()).isEqualTo(2);

    CliRun resumed = CliRun.of(train(run, "--resume").toArray(String[]::new));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("6 steps");
    assertThat(Checkpoint.readState(Checkpoint.latest(run).orElseThrow()).step()).isEqualTo(6);
    assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL)))
        .filteredOn(r -> r.split().equals(MetricsRecord.TRAIN))
        .extracting(MetricsRecord::step)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  /** Waits for the trainer to be in the middle of saving the named checkpoint. */
  static Path awaitTemporaryCheckpoint(Path run, String name, Process trainer)
      throws IOException, InterruptedException {
    Path folders = run.resolve(Checkpoint.FOLDER);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline) && trainer.isAlive()) {
      if (Files.isDirectory(folders)) {
        try (Stream<Path> all = Files.list(folders)) {
          Optional<Path> tmp =
              all.filter(p -> p.getFileName().toString().startsWith(".tmp-" + name)).findAny();
          if (tmp.isPresent() && Files.exists(tmp.get().resolve("files.json"))) {
            return tmp.get();
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the trainer never started saving " + name + " (see trainer.log)");
  }
}
