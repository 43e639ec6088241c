package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.minibert.trainer.evaluate.ClozeProbes;
import org.minibert.trainer.evaluate.EvaluationReport;
import org.minibert.trainer.evaluate.Evaluator;
import org.minibert.trainer.evaluate.RunEvaluation;
import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Held-out masked-LM and next-sentence loss and accuracy of a run's newest checkpoint, and cloze-probe top-1/top-5.",
      "Writes RUN/evaluation.json (the export publishes it in metrics.json)."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN", description = "Training run folder.")
  Path run;

  @Option(names = "--data", paramLabel = "DIR", description = "Prepared data set to validate on (default: the run's own).")
  Path data;

  @Option(names = "--probes", paramLabel = "FILE", description = "Cloze probes, TSV 'sentence<TAB>answer' with one [MASK] (e.g. samples/probes.tsv).")
  Path probes;

  @Option(names = "--eval-instances", defaultValue = "0", description = "Validation instances to use, a fixed subset; 0 = all (default: ${DEFAULT-VALUE}).")
  int evalInstances;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() throws Exception {
    threads.apply();
    EvaluationReport report = RunEvaluation.evaluate(run, data, probes, evalInstances, ComputeDevice.select(ComputeDevice.Choice.AUTO));
    print(report, spec.commandLine().getOut());
    return 0;
  }

  private static void print(EvaluationReport report, PrintWriter out) {
    Evaluator.Result v = report.validation();
    out.printf("checkpoint at step %d, %d validation instances%n", report.step(), v.instances());
    out.printf("  validation loss %.4f: MLM %.4f (accuracy %.3f), NSP %.4f (accuracy %.3f)%n",
        v.loss(), v.mlmLoss(), v.mlmAccuracy(), v.nspLoss(), v.nspAccuracy());
    ClozeProbes.Report p = report.probes();
    if (p != null) {
      out.printf("  cloze probes (%s): top-1 %.1f%%, top-5 %.1f%% of %d%n", p.file(), 100 * p.top1Accuracy(), 100 * p.top5Accuracy(), p.probes());
      for (ClozeProbes.Outcome o : p.outcomes()) {
        out.printf("    %s %-28s -> %-6s top-5: %s%n", o.top1Hit() ? "[1]" : o.top5Hit() ? "[5]" : "[ ]", o.sentence(), o.answer(), String.join(", ", o.top5()));
      }
    }
  }
}
