package org.minibert.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;

/** Saving, keeping and choosing checkpoints, with crashes and damage in between. */
class CheckpointTest {
  static final BertConfig TINY =
      new BertConfig("tiny", 50, 8, 1, 2, 16, 16, 2, 0.1, 0.1, 1e-12, 0.02);

  /** An optimizer state of a few bytes. */
  static final Checkpoint.OptimizerState OPTIMIZER =
      new Checkpoint.OptimizerState() {
        @Override
        public void save(OutputStream out) throws IOException {
          out.write(new byte[] {1, 2, 3});
        }

        @Override
        public void load(InputStream in) throws IOException {
          in.readAllBytes();
        }
      };

  @TempDir Path run;
  NDManager manager;
  BertForPreTraining model;

  @BeforeEach
  void model() {
    manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice());
    model = new BertForPreTraining(TINY);
    model.initialize(manager);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  void save(long step) throws IOException {
    Checkpoint.save(run, model, OPTIMIZER, new Checkpoint.State(step, 0, step, 0));
  }

  List<String> folders() throws IOException {
    try (Stream<Path> all = Files.list(run.resolve(Checkpoint.FOLDER))) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void keepsTheLastTwoCheckpointsWithTheirChecksums() throws IOException {
    save(1);
    save(2);
    save(3);
    assertThat(folders()).containsExactly("step-000000002", "step-000000003");
    Path latest = Checkpoint.latest(run).orElseThrow();
    assertThat(latest.getFileName()).hasToString("step-000000003");
    assertThat(latest.resolve(Checkpoint.FILES)).content().contains("model.params", "sha256");
  }

  @Test
  void aCrashWhileSavingTheSameStepAgainLeavesThePointerOnAnIntactCheckpoint() throws IOException {
    save(5);
    assertThatThrownBy(
            () ->
                Checkpoint.save(
                    run,
                    model,
                    OPTIMIZER,
                    new Checkpoint.State(5, 0, 6, 0),
                    () -> {
                      throw new IllegalStateException("crash");
                    }))
        .hasMessage("crash");
    Path latest = Checkpoint.latest(run).orElseThrow();
    assertThat(latest.getFileName()).hasToString("step-000000005");
    assertThat(Checkpoint.readState(latest).elapsedS()).isEqualTo(5);

    save(5); // completes this time, in a folder of its own
    assertThat(folders()).containsExactly("step-000000005", "step-000000005-2");
    assertThat(Checkpoint.latest(run).orElseThrow().getFileName()).hasToString("step-000000005-2");
  }

  @Test
  void fallsBackToTheOlderCheckpointWhenTheNewerIsDamaged() throws IOException {
    save(1);
    save(2);
    Path params = run.resolve(Checkpoint.FOLDER).resolve("step-000000002").resolve("model.params");
    try (RandomAccessFile f = new RandomAccessFile(params.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0xff);
    }
    Path latest = Checkpoint.latest(run).orElseThrow();
    assertThat(latest.getFileName()).hasToString("step-000000001");
    Checkpoint.loadModel(latest, model, manager); // and it loads

    Files.delete(run.resolve(Checkpoint.FOLDER).resolve("step-000000001").resolve("state.json"));
    assertThatThrownBy(() -> Checkpoint.latest(run))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no intact checkpoint")
        .hasMessageContaining("model.params does not match its checksum");
  }

  @Test
  void anUnreadablePointerFallsBackToTheNewestIntactCheckpoint() throws IOException {
    save(1);
    save(2);
    Files.writeString(run.resolve(Checkpoint.POINTER), "{");
    assertThat(Checkpoint.latest(run).orElseThrow().getFileName()).hasToString("step-000000002");
  }
}
