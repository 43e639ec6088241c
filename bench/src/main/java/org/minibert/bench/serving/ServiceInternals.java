package org.minibert.bench.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a benchmark row's time went inside the service: its own {@code te_*} metrics and its
 * process's CPU time, read before and after the row. Tells a model-bound row (most CPU in ONNX
 * Runtime, big batches) from one that loses time to HTTP, tokenization, or small batches.
 */
final class ServiceInternals {

  /** The counters read once: Prometheus values by metric name (tags summed), CPU ticks, time. */
  record Snapshot(Map<String, Double> metrics, long cpuTicks, long nanos) {
    double delta(Snapshot before, String name) {
      return metrics.getOrDefault(name, 0.0) - before.metrics.getOrDefault(name, 0.0);
    }
  }

  /** Linux reports a process's CPU time in clock ticks of 1/100 s (USER_HZ) on every platform. */
  private static final double TICKS_PER_SECOND = 100;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ServiceInternals() {}

  static Snapshot take(int port, long pid) throws IOException, InterruptedException {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new Snapshot(parse(text), cpuTicks(pid), System.nanoTime());
  }

  /** Prometheus text format: {@code name{tags} value}; values of one name are summed. */
  static Map<String, Double> parse(String prometheusText) {
    Map<String, Double> values = new HashMap<>();
    for (String line : prometheusText.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      int brace = line.indexOf('{');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space).strip();
      try {
        values.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
      } catch (NumberFormatException notAValue) {
        // NaN and friends are parsed; anything else is not a sample line
      }
    }
    return values;
  }

  /**
   * utime + stime of /proc/PID/stat (fields 14 and 15, counted after the command's parentheses).
   */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** One line: batches, the model's and the rest's share of the service's CPU per request. */
  static String between(Snapshot before, Snapshot after) {
    double batches = after.delta(before, "te_batch_inference_size_count");
    double inputs = after.delta(before, "te_batch_inference_size_sum");
    double requests = after.delta(before, "te_request_duration_count");
    if (batches <= 0 || requests <= 0) {
      return "no request reached the model";
    }
    double modelSeconds = after.delta(before, "te_batch_inference_duration_sum");
    double tokens = after.delta(before, "te_batch_next_tokens_sum");
    double formed = after.delta(before, "te_batch_next_tokens_count");
    double tokenization = after.delta(before, "te_request_tokenization_duration_sum");
    double queue = after.delta(before, "te_request_queue_duration_sum");
    double cpuSeconds = (after.cpuTicks() - before.cpuTicks()) / TICKS_PER_SECOND;
    double wall = (after.nanos() - before.nanos()) / 1e9;
    return String.format(
        "batches of %.1f inputs (%.0f padded tokens); per request: model %.3f ms (ONNX Runtime call"
            + " time / inputs), tokenization %.3f ms, queue %.3f ms, service CPU %.3f ms (the model"
            + " calls' time: %.0f%% of it); model calls in flight %.2f on average, service CPU %.2f"
            + " cores",
        inputs / batches,
        formed > 0 ? tokens / formed : 0,
        1e3 * modelSeconds / inputs,
        1e3 * tokenization / requests,
        1e3 * queue / requests,
        1e3 * cpuSeconds / requests,
        100 * modelSeconds / cpuSeconds,
        modelSeconds / wall,
        cpuSeconds / wall);
  }
}
