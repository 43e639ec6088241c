package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.minibert.trainer.evaluate.ClozeProbes;
import org.minibert.trainer.evaluate.EvaluationReport;
import org.minibert.trainer.evaluate.Evaluator;
import org.minibert.trainer.evaluate.HeldOutText;
import org.minibert.trainer.evaluate.RunEvaluation;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Held-out masked-LM and next-sentence loss and accuracy of a run's newest checkpoint,"
          + " cloze-probe top-1/top-5,",
      "and masked-piece top-1/top-5 on held-out prose beside the unigram baseline.",
      "Writes RUN/evaluation.json (the export publishes it in metrics.json)."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "RUN",
      description = "Training run folder.")
  Path run;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Prepared data set to validate on (default: the run's own).")
  Path data;

  @Option(
      names = "--probes",
      paramLabel = "FILE",
      description =
          "Cloze probes, TSV 'sentence<TAB>answer' with one [MASK] (e.g. samples/probes.tsv).")
  Path probes;

  @Option(
      names = "--text",
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "Held-out prose of any domain, one passage a line (e.g. samples/heldout/everyday-ko.txt):"
              + " masked-piece top-1/top-5 beside the unigram baseline.")
  List<Path> texts = List.of();

  @Option(
      names = "--eval-instances",
      defaultValue = "0",
      description =
          "Validation instances to use, a fixed subset; 0 = all (default: ${DEFAULT-VALUE}).")
  int evalInstances;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() throws Exception {
    threads.apply();
    EvaluationReport report =
        RunEvaluation.evaluate(
            run,
            data,
            probes,
            texts,
            evalInstances,
            ComputeDevice.select(ComputeDevice.Choice.AUTO));
    print(report, spec.commandLine().getOut());
    return 0;
  }

  private void print(EvaluationReport report, PrintWriter out) throws java.io.IOException {
    boolean trainedOnWords = RunConfig.read(run).training().wholeWordMasking();
    Evaluator.Result pieces = report.validation();
    Evaluator.Result words = report.validationWholeWord();
    out.printf(
        "checkpoint at step %d, %d validation instances%n", report.step(), pieces.instances());
    // the masking the run trained with first: the figure of its own task
    Evaluator.Result headline = trainedOnWords ? words : pieces;
    Evaluator.Result other = trainedOnWords ? pieces : words;
    out.printf(
        "  validation (%s masked, as trained): MLM %.4f (accuracy %.3f)%s%n",
        trainedOnWords ? "whole words" : "single pieces",
        headline.mlmLoss(),
        headline.mlmAccuracy(),
        Double.isNaN(headline.nspLoss())
            ? "; no next-sentence prediction"
            : String.format(
                "; NSP %.4f (accuracy %.3f)", headline.nspLoss(), headline.nspAccuracy()));
    out.printf(
        "  %s masked: MLM %.4f (accuracy %.3f)%n",
        trainedOnWords ? "single pieces" : "whole words", other.mlmLoss(), other.mlmAccuracy());
    HeldOutText.Report t = report.text();
    if (t != null) {
      out.printf(
          "  held-out text (%d passages, %d masked pieces): MLM %.4f, top-1 %.1f%%, top-5 %.1f%%;"
              + " unigram baseline top-1 %.1f%%, top-5 %.1f%%%n",
          t.passages(),
          t.maskedPieces(),
          t.mlmLoss(),
          100 * t.top1(),
          100 * t.top5(),
          100 * t.unigramTop1(),
          100 * t.unigramTop5());
      out.printf(
          "  held-out whole-word fill-mask (%d words, every piece masked): %.1f%% filled right,"
              + " loss %.3f per word; unigram baseline %.1f%%, loss %.3f%n",
          t.maskedWords(),
          100 * t.wordTop1(),
          t.wordLoss(),
          100 * t.wordUnigramTop1(),
          t.wordUnigramLoss());
    }
    ClozeProbes.Report p = report.probes();
    if (p != null) {
      out.printf(
          "  cloze probes (%s): top-1 %.1f%%, top-5 %.1f%% of %d%n",
          p.file(), 100 * p.top1Accuracy(), 100 * p.top5Accuracy(), p.probes());
      ProbeTable.print(p, null, out);
    }
  }
}
