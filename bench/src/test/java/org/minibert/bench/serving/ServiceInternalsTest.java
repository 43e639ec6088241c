package org.minibert.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceInternalsTest {

  @Test
  void prometheusTextIsReadByNameWithTheTagsOfOneNameSummed() {
    Map<String, Double> values =
        ServiceInternals.parse(
            """
            # HELP te_batch_inference_size inputs per ONNX Runtime call
            # TYPE te_batch_inference_size histogram
            te_batch_inference_size_bucket{le="1.0"} 3.0
            te_batch_inference_size_count 10.0
            te_batch_inference_size_sum 24.0
            te_request_count_total{method="single"} 7.0
            te_request_count_total{method="batch"} 2.0
            te_queue_size NaN
            """);

    assertThat(values)
        .containsEntry("te_batch_inference_size_count", 10.0)
        .containsEntry("te_batch_inference_size_sum", 24.0)
        .containsEntry("te_request_count_total", 9.0);
    assertThat(values.get("te_queue_size")).isNaN();
  }

  @Test
  void aRowIsDescribedFromTheDifferenceOfTwoSnapshots() {
    ServiceInternals.Snapshot before =
        new ServiceInternals.Snapshot(
            Map.of("te_batch_inference_size_count", 5.0, "te_request_duration_count", 5.0), 100, 0);
    ServiceInternals.Snapshot after =
        new ServiceInternals.Snapshot(
            Map.of(
                "te_batch_inference_size_count", 15.0,
                "te_batch_inference_size_sum", 40.0,
                "te_request_duration_count", 45.0,
                "te_batch_inference_duration_sum", 0.08,
                "te_batch_next_tokens_sum", 400.0,
                "te_batch_next_tokens_count", 10.0,
                "te_request_tokenization_duration_sum", 0.004,
                "te_request_queue_duration_sum", 0.02),
            110,
            1_000_000_000L);

    String line = ServiceInternals.between(before, after);

    // 10 batches of 40 inputs; 40 requests; 80 ms of model calls; 0.1 s of CPU in 1 s
    assertThat(line)
        .startsWith("batches of 4.0 inputs (40 padded tokens)")
        .contains("model 2.000 ms", "tokenization 0.100 ms", "queue 0.500 ms")
        .contains("service CPU 2.500 ms", "80% of it", "in flight 0.08", "CPU 0.10 cores");
  }

  @Test
  void aRowThatNeverReachedTheModelSaysSo() {
    ServiceInternals.Snapshot same = new ServiceInternals.Snapshot(Map.of(), 0, 0);
    assertThat(ServiceInternals.between(same, same)).isEqualTo("no request reached the model");
  }

  @Test
  void theCpuTimeOfAProcessIsReadFromProc() throws Exception {
    long pid = ProcessHandle.current().pid();
    long first = ServiceInternals.cpuTicks(pid);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    double sink = 0;
    while (threads.getCurrentThreadCpuTime() - cpuStart < 300_000_000L) {
      sink += Math.sqrt(sink + 1);
    }
    assertThat(sink).isPositive();
    // 0.3 s of this thread's CPU, and the process's ticks are 1/100 s
    assertThat(ServiceInternals.cpuTicks(pid) - first).isGreaterThanOrEqualTo(25);
  }
}
