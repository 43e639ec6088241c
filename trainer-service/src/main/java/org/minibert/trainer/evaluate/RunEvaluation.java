package org.minibert.trainer.evaluate;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.trainer.data.TrainingData;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.run.TrainedRun;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

/**
 * What {@code evaluate} does: a run's newest checkpoint on the held-out split (the data set's fixed
 * validation pairs and masks, those the run validated on), with single-piece masks (the headline
 * figure) and whole-word masks, and, when given, the cloze probes and held-out prose against the
 * unigram baseline; the report is written to {@code RUN/evaluation.json}.
 */
public final class RunEvaluation {
  private RunEvaluation() {}

  /**
   * @param dataDir the prepared data set to validate on; null for the run's own
   * @param probes a cloze-probe TSV; null for none
   * @param texts held-out prose, one passage a line (see {@link HeldOutText}); empty for none
   * @param evalInstances validation instances to use, a fixed subset (0 = all)
   */
  public static EvaluationReport evaluate(
      Path runDir, Path dataDir, Path probes, List<Path> texts, int evalInstances, Device device)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager(device)) {
      TrainedRun trained = TrainedRun.load(runDir, manager);
      TrainOptions options = trained.config().training();
      Path data = dataDir != null ? dataDir : options.data();
      TrainingData dataset = TrainingData.open(data, options);
      if (dataset.vocabSize() != trained.config().model().vocabSize()) {
        throw new IllegalArgumentException(
            "data set "
                + data
                + " has a vocabulary of "
                + dataset.vocabSize()
                + " tokens but the model was trained with "
                + trained.config().model().vocabSize());
      }
      ParameterStore ps = new ParameterStore(manager, false);
      Evaluator.Result validation =
          new Evaluator(dataset.valPieces(), evalInstances, options.batchSize())
              .evaluate(trained.model(), ps, manager);
      Evaluator.Result wholeWords =
          new Evaluator(dataset.valWholeWord(), evalInstances, options.batchSize())
              .evaluate(trained.model(), ps, manager);
      ClozeProbes.Report probeReport = null;
      HeldOutText.Report textReport = null;
      try (BertTokenizer tokenizer =
          BertTokenizer.load(data.resolve(TokenizerJsonWriter.TOKENIZER_JSON))) {
        if (probes != null) {
          probeReport =
              ClozeProbes.run(
                  probes, ClozeProbes.read(probes), trained.model(), tokenizer, manager);
        }
        if (!texts.isEmpty()) {
          long[] counts = HeldOutText.pieceCounts(dataset.train().split(), dataset.vocabSize());
          textReport = HeldOutText.run(texts, trained.model(), tokenizer, counts, manager);
        }
      }
      EvaluationReport report =
          new EvaluationReport(
              Instant.now().toString(),
              trained.step(),
              data.toString(),
              validation,
              wholeWords,
              probeReport,
              textReport);
      report.write(runDir);
      return report;
    }
  }
}
