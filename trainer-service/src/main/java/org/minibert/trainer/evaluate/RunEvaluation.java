package org.minibert.trainer.evaluate;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.minibert.core.tokenizer.BertTokenizer;
import org.minibert.trainer.data.TrainingData;
import org.minibert.trainer.run.TrainOptions;
import org.minibert.trainer.run.TrainedRun;
import org.minibert.trainer.tokenizer.TokenizerJsonWriter;

/**
 * What {@code evaluate} does: a run's newest checkpoint on the held-out split (with the run's own seed and masking
 * options, so the pairs and masks are those the run validated on) and, when given, the cloze probes; the report is
 * written to {@code RUN/evaluation.json}.
 */
public final class RunEvaluation {
  private RunEvaluation() {}

  /**
   * @param dataDir the prepared data set to validate on; null for the run's own
   * @param probes a cloze-probe TSV; null for none
   * @param evalInstances validation instances to use, a fixed subset (0 = all)
   */
  public static EvaluationReport evaluate(Path runDir, Path dataDir, Path probes, int evalInstances, Device device) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(device)) {
      TrainedRun trained = TrainedRun.load(runDir, manager);
      TrainOptions options = trained.config().training();
      Path data = dataDir != null ? dataDir : options.data();
      TrainingData dataset = TrainingData.open(data, options.seed(), options.wholeWordMasking(), options.staticMasking());
      if (dataset.vocabSize() != trained.config().model().vocabSize()) {
        throw new IllegalArgumentException("data set " + data + " has a vocabulary of " + dataset.vocabSize()
            + " tokens but the model was trained with " + trained.config().model().vocabSize());
      }
      Evaluator.Result validation = new Evaluator(dataset.val(), evalInstances, options.batchSize(), options.seed())
          .evaluate(trained.model(), new ParameterStore(manager, false), manager);
      ClozeProbes.Report probeReport = null;
      if (probes != null) {
        try (BertTokenizer tokenizer = BertTokenizer.load(data.resolve(TokenizerJsonWriter.TOKENIZER_JSON))) {
          probeReport = ClozeProbes.run(probes, ClozeProbes.read(probes), trained.model(), tokenizer, manager);
        }
      }
      EvaluationReport report = new EvaluationReport(Instant.now().toString(), trained.step(), data.toString(), validation, probeReport);
      report.write(runDir);
      return report;
    }
  }
}
