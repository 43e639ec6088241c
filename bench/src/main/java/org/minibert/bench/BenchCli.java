package org.minibert.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.minibert.bench.training.ExportBenchmark;
import org.minibert.bench.training.PrepareScaleBenchmark;
import org.minibert.bench.training.TrainingBenchmark;
import org.minibert.trainer.cli.CommandLines;
import org.minibert.trainer.cli.ThreadsOption;
import org.minibert.trainer.run.TrainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks that print a table and write a markdown report (never part of the tests). See"
            + " bench/README.md.",
    subcommands = {
      BenchCli.Training.class,
      BenchCli.Export.class,
      BenchCli.PrepareScale.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCli {

  public static void main(String[] args) {
    System.exit(CommandLines.configure(new BenchCli()).execute(args));
  }

  @Command(
      name = "training",
      mixinStandardHelpOptions = true,
      description =
          "Training throughput (sequences/s, tokens/s, peak resident memory) of model configs on a"
              + " prepared data set.")
  static final class Training implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        required = true,
        paramLabel = "DIR",
        description = "Prepared data set.")
    Path data;

    @Option(
        names = "--configs",
        split = ",",
        defaultValue = "shallow-1L-144D,standard-2L-128D,deep-6L-96D",
        description =
            "Configs, smallest memory first (peak memory only grows) (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(
        names = "--steps",
        defaultValue = "60",
        description = "Steps per config (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batchSize = TrainOptions.defaults().batchSize();

    @Mixin ThreadsOption threads;

    @Option(
        names = "--report",
        defaultValue = "bench/out/training.md",
        description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
      threads.apply();
      String table =
          TrainingBenchmark.table(TrainingBenchmark.run(data, configs, steps, batchSize));
      TrainingBenchmark.writeReport(report, data, steps, batchSize, table);
      PrintWriter out = spec.commandLine().getOut();
      out.print(table);
      out.printf("report: %s%n", report);
      return 0;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "ONNX export time and parity (max |DJL - ONNX Runtime|) of a trained run.")
  static final class Export implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--run",
        required = true,
        paramLabel = "RUN",
        description = "Training run folder.")
    Path run;

    @Option(
        names = "--repeat",
        defaultValue = "3",
        description = "Exports to time; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
        names = "--report",
        defaultValue = "bench/out/export.md",
        description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
      ExportBenchmark.Result result = ExportBenchmark.run(run, repeat);
      String table = ExportBenchmark.table(result);
      ExportBenchmark.writeReport(report, result, table);
      spec.commandLine().getOut().print(table);
      spec.commandLine().getOut().printf("report: %s%n", report);
      return 0;
    }
  }

  @Command(
      name = "prepare-scale",
      mixinStandardHelpOptions = true,
      description =
          "prepare at scale: generated MediaWiki dumps of the given sizes (from the bundled"
              + " samples) prepared in a child JVM with 1 thread and with every core (time, cores"
              + " busy, peak RSS, tokens/s, byte-identical or not), then a short training run on"
              + " the largest.")
  static final class PrepareScale implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--sizes",
        split = ",",
        defaultValue = "25,400",
        paramLabel = "MB",
        description = "Dump sizes in MB of XML (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(
        names = "--plain",
        description = "Write the dumps as plain .xml instead of multistream .xml.bz2.")
    boolean plain;

    @Option(
        names = "--work",
        defaultValue = "work/prepare-scale",
        paramLabel = "DIR",
        description =
            "Where the dumps (kept for the next run), data sets and run go (default:"
                + " ${DEFAULT-VALUE}).")
    Path work;

    @Option(
        names = "--samples",
        defaultValue = "samples",
        paramLabel = "DIR",
        description = "The corpora the dumps are drawn from (default: ${DEFAULT-VALUE}).")
    Path samples;

    @Option(
        names = "--dump-seed",
        defaultValue = "1",
        description = "Seed of the generated dumps (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--train-steps",
        defaultValue = "200",
        description =
            "Training steps on the largest data set; 0 = none (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(
        names = "--java-options",
        defaultValue = "-Xmx3g",
        description =
            "JVM options of the child runs, as bin/minibert's (default: ${DEFAULT-VALUE}).")
    String javaOptions;

    @Option(
        names = "--report",
        defaultValue = "bench/out/prepare-scale.md",
        description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      String body =
          new PrepareScaleBenchmark(
                  new PrepareScaleBenchmark.Settings(
                      sizes, !plain, work, seed, trainSteps, javaOptions, samples),
                  out)
              .run();
      BenchReport.write(
          report,
          "prepare at scale",
          List.of(
              "command: bench/run prepare-scale --sizes "
                  + sizes.stream()
                      .map(String::valueOf)
                      .collect(java.util.stream.Collectors.joining(","))
                  + (plain ? " --plain" : "")
                  + " --train-steps "
                  + trainSteps,
              "child JVM options: " + javaOptions,
              "dumps generated from " + samples + " with seed " + seed),
          body);
      out.print(body);
      out.printf("report: %s%n", report);
      return 0;
    }
  }
}
