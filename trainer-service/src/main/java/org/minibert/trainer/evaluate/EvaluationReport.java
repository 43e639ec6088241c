package org.minibert.trainer.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.minibert.core.io.Json;

/**
 * {@code RUN/evaluation.json}: what {@code evaluate} measured on a run's newest checkpoint. The
 * export copies it into the published {@code metrics.json}.
 *
 * @param validation single-piece masks, 15% (the figures of the run's validation lines when it
 *     trained by pieces)
 * @param validationWholeWord the same instances with whole words masked (those of its validation
 *     lines when it trained by whole words)
 * @param probes null when no probe file was given
 * @param text masked-piece prediction on held-out prose beside the unigram baseline; null when no
 *     text was given
 */
public record EvaluationReport(
    String createdAt,
    long step,
    String data,
    Evaluator.Result validation,
    Evaluator.Result validationWholeWord,
    ClozeProbes.Report probes,
    HeldOutText.Report text) {
  public static final String FILE = "evaluation.json";

  public void write(Path runDir) throws IOException {
    Json.write(runDir.resolve(FILE), this);
  }

  /** The run's evaluation report, if {@code evaluate} was run. */
  public static Optional<EvaluationReport> read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    return Files.isRegularFile(file)
        ? Optional.of(Json.read(file, EvaluationReport.class))
        : Optional.empty();
  }
}
