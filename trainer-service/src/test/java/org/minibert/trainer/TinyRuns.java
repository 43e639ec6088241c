package org.minibert.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.minibert.trainer.data.DatasetPreparer;

/**
 * The fixtures of the tests that train: the sample corpus prepared small, and tiny model configs.
 */
public final class TinyRuns {
  /**
   * The project's sample corpus (42 Korean articles in MediaWiki XML), seen from a module folder.
   */
  public static final Path SAMPLE = Path.of("../samples/kowiki-sample.xml");

  private TinyRuns() {}

  /** Prepares the sample corpus into {@code dir} (seed 42, 10% validation). */
  public static Path prepareSample(Path dir, int vocabSize, int maxSeqLen) {
    try {
      new DatasetPreparer()
          .prepare(
              new DatasetPreparer.Settings(List.of(SAMPLE), dir, vocabSize, maxSeqLen, 0.1, 42));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a config named "tiny" (2 heads, feed-forward 2x) to {@code file}. */
  public static Path tinyConfig(Path file, int hidden, int layers, int positions) {
    try {
      return Files.writeString(
          file,
          String.format(
              """
              {"name": "tiny", "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": 2,
               "intermediate_size": %d, "max_position_embeddings": %d}
              """,
              hidden, layers, 2 * hidden, positions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
