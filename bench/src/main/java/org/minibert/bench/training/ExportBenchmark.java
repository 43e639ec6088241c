package org.minibert.bench.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minibert.bench.BenchReport;
import org.minibert.core.io.FileTrees;
import org.minibert.trainer.export.VersionFolderWriter;

/**
 * ONNX export time and parity of a trained run: the whole export (graph, parity check, version
 * folder) into a scratch folder, {@code repeat} times; the median time and the last export's parity
 * figures.
 */
public final class ExportBenchmark {
  /** What was measured. */
  public record Result(
      Path run, int repeat, double medianSeconds, VersionFolderWriter.ExportedVersion last) {}

  private ExportBenchmark() {}

  public static Result run(Path run, int repeat) throws IOException {
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
    return new Result(run, repeat, seconds.get(seconds.size() / 2), last);
  }

  public static String table(Result r) {
    return String.format(
        Locale.ROOT,
        "| run | checkpoint step | export + parity time (median of %d) | max abs diff logits | max"
            + " abs diff nsp_logits | batches | tolerance |%n|---|---|---|---|---|---|---|%n| %s |"
            + " %d | %.2f s | %.2e | %.2e | %d | %.0e |%n",
        r.repeat(),
        r.run(),
        r.last().source().step(),
        r.medianSeconds(),
        r.last().parity().logitsMaxAbsDiff(),
        r.last().parity().nspMaxAbsDiff(),
        r.last().parity().batches(),
        r.last().parity().tolerance());
  }

  /** The markdown report: the environment, what was measured, the table. */
  public static void writeReport(Path file, Result r, String table) throws IOException {
    BenchReport.write(
        file,
        "ONNX export",
        List.of("run: " + r.run(), "parity: DJL vs ONNX Runtime (CPU) on random padded batches"),
        table);
  }
}
