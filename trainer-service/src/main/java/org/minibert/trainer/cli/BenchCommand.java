package org.minibert.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minibert.core.io.FileTrees;
import org.minibert.trainer.bench.BenchReport;
import org.minibert.trainer.bench.TrainingBenchmark;
import org.minibert.trainer.export.VersionFolderWriter;
import org.minibert.trainer.train.ComputeDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print a table and write a markdown report (never part of the tests). See bench/README.md.",
    subcommands = {BenchCommand.Training.class, BenchCommand.Export.class})
public final class BenchCommand {

  @Command(name = "training", mixinStandardHelpOptions = true,
      description = "Training throughput (sequences/s, tokens/s, peak resident memory) of model configs on a prepared data set.")
  static final class Training implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared data set.")
    Path data;

    @Option(names = "--configs", split = ",", defaultValue = "shallow-1L-144D,standard-2L-128D,deep-6L-96D",
        description = "Configs, smallest memory first (peak memory only grows) (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--steps", defaultValue = "60", description = "Steps per config (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--report", defaultValue = "bench/out/training.md", description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
      ComputeDevice.configureThreads(threads);
      Path scratch = Files.createTempDirectory("minibert-bench-");
      try {
        String table = TrainingBenchmark.table(TrainingBenchmark.run(data, configs, steps, batchSize, scratch));
        BenchReport.write(report, "Training throughput", List.of("data set: " + data, "steps per config: " + steps
            + " (median of 10-step windows, the first one left out)", "batch size: " + batchSize), table);
        PrintWriter out = spec.commandLine().getOut();
        out.print(table);
        out.printf("report: %s%n", report);
      } finally {
        FileTrees.deleteRecursively(scratch);
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "ONNX export time and parity (max |DJL - ONNX Runtime|) of a trained run.")
  static final class Export implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Training run folder.")
    Path run;

    @Option(names = "--repeat", defaultValue = "3", description = "Exports to time; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--report", defaultValue = "bench/out/export.md", description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
      List<Double> seconds = new ArrayList<>();
      VersionFolderWriter.ExportedVersion last = null;
      Path scratch = Files.createTempDirectory("minibert-bench-");
      try {
        for (int i = 0; i < repeat; i++) {
          long started = System.nanoTime();
          last = VersionFolderWriter.write(run, scratch.resolve("v" + i));
          seconds.add((System.nanoTime() - started) / 1e9);
        }
      } finally {
        FileTrees.deleteRecursively(scratch);
      }
      seconds.sort(Double::compare);
      String table = String.format(Locale.ROOT,
          "| run | checkpoint step | export + parity time (median of %d) | max abs diff logits | max abs diff nsp_logits | batches | tolerance |%n"
              + "|---|---|---|---|---|---|---|%n| %s | %d | %.2f s | %.2e | %.2e | %d | %.0e |%n",
          repeat, run, last.source().step(), seconds.get(seconds.size() / 2), last.parity().logitsMaxAbsDiff(),
          last.parity().nspMaxAbsDiff(), last.parity().batches(), last.parity().tolerance());
      BenchReport.write(report, "ONNX export", List.of("run: " + run, "parity: DJL vs ONNX Runtime (CPU) on random padded batches"), table);
      spec.commandLine().getOut().print(table);
      spec.commandLine().getOut().printf("report: %s%n", report);
      return 0;
    }
  }
}
