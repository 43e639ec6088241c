package org.minibert.bench.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.minibert.core.tokenizer.BertTokenizer;

/**
 * Resident memory of a running service under load: {@code clients} keep-alive connections send
 * ~120-token fill-mask texts for {@code seconds} while the process's VmRSS is sampled; prints the
 * peak: the service's memory under load (docs/serve.md, "Performance").
 *
 * <pre>
 * java org.minibert.bench.serving.MemoryUnderLoad ROOT TOKENIZER_JSON PORT PID [CLIENTS=4] [SECONDS=30]
 * </pre>
 */
public final class MemoryUnderLoad {
  private MemoryUnderLoad() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int port = Integer.parseInt(args[2]);
    long pid = Long.parseLong(args[3]);
    int clients = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 30;
    List<String> texts;
    try (BertTokenizer tokenizer = BertTokenizer.load(Path.of(args[1]))) {
      texts =
          ServingBenchmark.longTexts(root.resolve("samples/kowiki-sample.xml"), tokenizer, 110, 32);
      System.out.printf(
          "%d texts of %d-%d tokens%n",
          texts.size(),
          texts.stream().mapToInt(t -> tokenizer.encode(t).length()).min().orElse(0),
          texts.stream().mapToInt(t -> tokenizer.encode(t).length()).max().orElse(0));
    }
    List<String> paths = HttpLoad.paths(texts);
    long before = ServingBenchmark.residentKb(pid);
    try (ServingBenchmark.ResidentMemory memory = new ServingBenchmark.ResidentMemory()) {
      memory.watch("service", pid);
      ServingBenchmark.run(
          "service",
          "long",
          clients,
          Duration.ZERO,
          Duration.ofSeconds(seconds),
          paths.size(),
          () -> {
            HttpLoad.Connection connection = new HttpLoad.Connection("127.0.0.1", port);
            return (i) -> {
              int status = connection.get(paths.get(i));
              if (status != 200) {
                throw new IOException("HTTP " + status);
              }
            };
          });
      System.out.printf(
          "resident memory of %d: before %.0f MiB, peak under load %.0f MiB, after %.0f MiB%n",
          pid,
          before / 1024.0,
          memory.peaks().get("service") / 1024.0,
          ServingBenchmark.residentKb(pid) / 1024.0);
    }
  }
}
