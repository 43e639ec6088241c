package org.minibert.bench.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;

/**
 * {@code prepare} at scale: generated MediaWiki dumps of chosen sizes ({@link WikiDumpGenerator},
 * from the bundled samples, nothing downloaded) prepared in a child JVM with one thread and with
 * every core, each run's wall time, cores used (the child's CPU time over wall time), peak resident
 * memory (the child's VmHWM) and tokens per second; whether both data sets are byte-identical; then
 * a short training run on the largest data set: its instances, start-up time and peak memory.
 *
 * <p>The child runs the project's own command line with the launcher's JVM options, so the figures
 * are those a user of {@code bin/minibert prepare} gets. CPU time and VmHWM are read from {@code
 * /proc} every 100 ms while the child runs (Linux only).
 */
public final class PrepareScaleBenchmark {
  private static final Pattern INSTANCES = Pattern.compile("data .*: (\\d+) training instances");

  /** What to run. */
  public record Settings(
      List<Integer> sizesMb,
      boolean bz2,
      Path work,
      long seed,
      int trainSteps,
      String javaOptions,
      Path samples) {}

  /** One child process's figures. */
  public record ChildRun(
      double wallS, double cpuS, double peakRssMiB, double loadBefore, double loadAfter) {
    double coresUsed() {
      return cpuS / wallS;
    }
  }

  /** One prepare run. */
  public record PrepareRow(
      int sizeMb, long xmlBytes, long fileBytes, int threads, ChildRun run, long tokens) {}

  /** The training run. */
  public record TrainRow(int steps, long instances, double startupS, ChildRun run) {}

  private final Settings settings;
  private final PrintWriter log;

  public PrepareScaleBenchmark(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  /** Generates, prepares, compares and trains; returns the markdown report's body. */
  public String run() throws IOException, InterruptedException {
    Files.createDirectories(settings.work());
    int cores = Runtime.getRuntime().availableProcessors();
    List<PrepareRow> rows = new ArrayList<>();
    List<String> identical = new ArrayList<>();
    Path largest = null;
    for (int size : settings.sizesMb()) {
      Path dump = dump(size);
      long xmlBytes = xmlBytes(dump);
      Path one = settings.work().resolve("data-" + size + "mb-1thread");
      Path all = settings.work().resolve("data-" + size + "mb-" + cores + "threads");
      for (Path out : List.of(one, all)) {
        FileTrees.deleteRecursively(out);
      }
      for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
        Path out = threads == 1 ? one : all;
        log.printf("prepare %s with %d thread(s) ...%n", dump.getFileName(), threads);
        log.flush();
        ChildRun run =
            child(
                List.of(
                    "prepare",
                    "--input",
                    dump.toString(),
                    "--out",
                    out.toString(),
                    "--threads",
                    Integer.toString(threads)),
                null);
        PrepareRow row =
            new PrepareRow(size, xmlBytes, Files.size(dump), threads, run, tokens(out));
        rows.add(row);
        log.print(prepareTable(List.of(row)));
        log.flush();
      }
      if (cores > 1) {
        identical.add(
            String.format(
                Locale.ROOT,
                "%d MB: data set with 1 thread and with %d: %s",
                size,
                cores,
                sameDataSet(one, all) ? "byte-identical" : "DIFFERENT"));
        FileTrees.deleteRecursively(one);
      }
      largest = cores > 1 ? all : one;
    }
    StringBuilder md = new StringBuilder("## prepare\n\n").append(prepareTable(rows)).append('\n');
    identical.forEach(line -> md.append("- ").append(line).append('\n'));
    if (settings.trainSteps() > 0 && largest != null) {
      TrainRow train = train(largest);
      md.append("\n## train on the largest data set\n\n").append(trainTable(train));
    }
    return md.toString();
  }

  private Path dump(int sizeMb) throws IOException {
    Path dump =
        settings
            .work()
            .resolve(
                "kowiki-generated-"
                    + sizeMb
                    + "mb-seed"
                    + settings.seed()
                    + (settings.bz2() ? ".xml.bz2" : ".xml"));
    Path size = dump.resolveSibling(dump.getFileName() + ".xml-bytes");
    if (!Files.exists(dump) || !Files.exists(size)) {
      log.printf("generating %s ...%n", dump);
      log.flush();
      long started = System.nanoTime();
      long xmlBytes =
          WikiDumpGenerator.from(List.of(settings.samples()))
              .write(
                  dump,
                  (long) sizeMb << 20,
                  settings.seed(),
                  Runtime.getRuntime().availableProcessors());
      Files.writeString(size, Long.toString(xmlBytes));
      log.printf(
          Locale.ROOT,
          "generated %,d bytes of XML (%,d on disk) in %.0f s%n",
          xmlBytes,
          Files.size(dump),
          (System.nanoTime() - started) / 1e9);
    }
    return dump;
  }

  private static long xmlBytes(Path dump) throws IOException {
    return Long.parseLong(
        Files.readString(dump.resolveSibling(dump.getFileName() + ".xml-bytes")).strip());
  }

  private static long tokens(Path data) throws IOException {
    JsonNode info = Json.MAPPER.readTree(data.resolve("dataset.json").toFile());
    long tokens = 0;
    for (JsonNode split : info.path("splits")) {
      tokens += split.path("tokens").asLong();
    }
    return tokens;
  }

  private TrainRow train(Path data) throws IOException, InterruptedException {
    Path run = settings.work().resolve("run");
    FileTrees.deleteRecursively(run);
    long[] instances = {-1};
    double[] startup = {-1};
    long started = System.nanoTime();
    log.printf("train %d steps on %s ...%n", settings.trainSteps(), data);
    log.flush();
    ChildRun child =
        child(
            List.of(
                "train",
                "--data",
                data.toString(),
                "--out",
                run.toString(),
                "--max-steps",
                Integer.toString(settings.trainSteps()),
                "--eval-instances",
                "512",
                "--checkpoint-every",
                "100"),
            line -> {
              Matcher m = INSTANCES.matcher(line);
              if (m.find()) {
                instances[0] = Long.parseLong(m.group(1));
              }
              if (startup[0] < 0 && line.contains("INFO") && line.contains("objective")) {
                startup[0] = (System.nanoTime() - started) / 1e9;
              }
            });
    FileTrees.deleteRecursively(run);
    return new TrainRow(settings.trainSteps(), instances[0], startup[0], child);
  }

  /**
   * Runs the command line in a child JVM and follows its CPU time and peak memory; {@code onStderr}
   * sees each line of its error output (logs) as it comes.
   */
  private ChildRun child(List<String> args, java.util.function.Consumer<String> onStderr)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(settings.javaOptions().trim().split("\\s+")));
    command.addAll(List.of("-Dai.djl.offline=true", "org.minibert.cli.MiniBertCli"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    // the class path goes through the environment: a long command line crashes ONNX Runtime
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("DJL_OFFLINE", "true");
    builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    double loadBefore = loadAverage();
    long started = System.nanoTime();
    Process process = builder.start();
    Thread errors =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                  if (onStderr != null) {
                    onStderr.accept(line);
                  }
                  if (line.contains("INFO") || line.contains("ERROR") || line.contains("WARN")) {
                    synchronized (log) {
                      log.println("  | " + line);
                      log.flush();
                    }
                  }
                }
              } catch (IOException e) {
                // the child is gone
              }
            });
    errors.start();
    long peakKiB = 0;
    double cpuS = 0;
    Path proc = Path.of("/proc", Long.toString(process.pid()));
    while (process.isAlive()) {
      peakKiB = Math.max(peakKiB, statusKiB(proc, "VmHWM:"));
      cpuS = Math.max(cpuS, cpuSeconds(proc));
      Thread.sleep(100);
    }
    double wallS = (System.nanoTime() - started) / 1e9;
    errors.join();
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the child run failed (exit " + process.exitValue() + "): " + String.join(" ", args));
    }
    return new ChildRun(wallS, cpuS, peakKiB / 1024.0, loadBefore, loadAverage());
  }

  private static long statusKiB(Path proc, String key) {
    try (Stream<String> lines = Files.lines(proc.resolve("status"))) {
      return lines
          .filter(l -> l.startsWith(key))
          .findFirst()
          .map(l -> Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]))
          .orElse(0L);
    } catch (IOException | RuntimeException e) {
      return 0; // the process has just ended
    }
  }

  /** utime + stime of the process (all its threads), in seconds; clock ticks of 1/100 s. */
  private static double cpuSeconds(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Every file of both folders byte for byte, dataset.json without its time and inputs. */
  static boolean sameDataSet(Path a, Path b) throws IOException {
    List<Path> files = files(a);
    if (!files.equals(files(b))) {
      return false;
    }
    for (Path file : files) {
      if (file.toString().equals("dataset.json")) {
        if (!withoutRunFields(a.resolve(file)).equals(withoutRunFields(b.resolve(file)))) {
          return false;
        }
      } else if (Files.mismatch(a.resolve(file), b.resolve(file)) != -1) {
        return false;
      }
    }
    return true;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  private static String withoutRunFields(Path json) throws IOException {
    return Files.readString(json)
        .replaceAll("\"created_at\"\\s*:\\s*\"[^\"]*\"", "")
        .replaceAll("\"inputs\"\\s*:\\s*\\[[^]]*]", "");
  }

  public static String prepareTable(List<PrepareRow> rows) {
    StringBuilder t =
        new StringBuilder(
            "| dump (XML) | on disk | threads | time | s per XML MB | cores busy (CPU / wall) |"
                + " peak RSS | tokens | tokens/s | load before / after |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (PrepareRow r : rows) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %d MB | %.1f MB | %d | %.1f s | %.3f | %.2f | %.2f GiB | %.1fM | %,.0f | %.1f /"
                  + " %.1f |%n",
              r.sizeMb(),
              r.fileBytes() / 1e6,
              r.threads(),
              r.run().wallS(),
              r.run().wallS() / (r.xmlBytes() / 1e6),
              r.run().coresUsed(),
              r.run().peakRssMiB() / 1024,
              r.tokens() / 1e6,
              r.tokens() / r.run().wallS(),
              r.run().loadBefore(),
              r.run().loadAfter()));
    }
    return t.toString();
  }

  public static String trainTable(TrainRow r) {
    return "| steps | training instances | start-up (launch to training loop) | time | cores busy |"
        + " peak RSS | load before / after |\n"
        + "|---|---|---|---|---|---|---|\n"
        + String.format(
            Locale.ROOT,
            "| %d | %,d | %.1f s | %.1f s | %.2f | %.2f GiB | %.1f / %.1f |%n",
            r.steps(),
            r.instances(),
            r.startupS(),
            r.run().wallS(),
            r.run().coresUsed(),
            r.run().peakRssMiB() / 1024,
            r.run().loadBefore(),
            r.run().loadAfter());
  }
}
