package org.minibert.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The serving metrics, named as Hugging Face text-embeddings-inference names them so that its
 * dashboards fit: per request {@code te_request_count}, {@code te_request_success}, {@code
 * te_request_failure{err}} and the histograms {@code te_request_duration}, {@code
 * te_request_tokenization_duration}, {@code te_request_queue_duration}, {@code
 * te_request_inference_duration} (seconds) and {@code te_request_input_length} (tokens); per batch
 * {@code te_batch_next_size}, {@code te_batch_next_tokens} (as formed by the batcher), {@code
 * te_batch_inference_size}, {@code te_batch_inference_duration}, {@code
 * te_batch_inference_success}, {@code te_batch_inference_failure} (per model call); the gauge
 * {@code te_queue_size}. Prometheus adds {@code _total} to the counters.
 */
final class ServingMetrics {
  private static final double[] SECONDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  private static final double[] SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  private static final double[] TOKENS = {
    8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768
  };

  /** Why a request failed: the {@code err} tag of {@code te_request_failure}. */
  enum Failure {
    VALIDATION,
    OVERLOADED,
    UNAVAILABLE,
    BACKEND
  }

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final DistributionSummary requestDuration;
  private final DistributionSummary tokenization;
  private final DistributionSummary queue;
  private final DistributionSummary inference;
  private final DistributionSummary inputLength;
  private final DistributionSummary nextSize;
  private final DistributionSummary nextTokens;
  private final DistributionSummary batchSize;
  private final DistributionSummary batchDuration;
  private final Counter batchSuccess;
  private final Counter batchFailure;

  ServingMetrics(MeterRegistry registry) {
    this.registry = registry;
    requestDuration = histogram("te.request.duration", "seconds from request to answer", SECONDS);
    tokenization =
        histogram("te.request.tokenization.duration", "seconds to validate and tokenize", SECONDS);
    queue =
        histogram(
            "te.request.queue.duration", "seconds in the batcher's queue (longest input)", SECONDS);
    inference =
        histogram(
            "te.request.inference.duration",
            "seconds of the model call that computed the request (longest input)",
            SECONDS);
    inputLength = histogram("te.request.input.length", "tokens per input", TOKENS);
    nextSize = histogram("te.batch.next.size", "inputs per batch formed by the batcher", SIZES);
    nextTokens =
        histogram(
            "te.batch.next.tokens",
            "padded tokens per batch formed (inputs times the longest)",
            TOKENS);
    batchSize = histogram("te.batch.inference.size", "inputs per ONNX Runtime call", SIZES);
    batchDuration =
        histogram("te.batch.inference.duration", "seconds per ONNX Runtime call", SECONDS);
    batchSuccess = Counter.builder("te.batch.inference.success").register(registry);
    batchFailure = Counter.builder("te.batch.inference.failure").register(registry);
  }

  private DistributionSummary histogram(String name, String description, double[] buckets) {
    return DistributionSummary.builder(name)
        .description(description)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  void queueSize(Supplier<Number> depth) {
    Gauge.builder("te.queue.size", depth)
        .description("inputs waiting for a batch")
        .register(registry);
  }

  /** A request arrived: {@code single} for one input, {@code batch} for several. */
  void requestStarted(String method) {
    counter("te.request.count", "method", method).increment();
  }

  void tokenized(long nanos, Iterable<? extends Job<?>> jobs) {
    tokenization.record(seconds(nanos));
    for (Job<?> job : jobs) {
      inputLength.record(job.length());
    }
  }

  void requestSucceeded(String method, long nanos, Iterable<? extends Job<?>> jobs) {
    counter("te.request.success", "method", method).increment();
    requestDuration.record(seconds(nanos));
    long queued = 0;
    long computed = 0;
    for (Job<?> job : jobs) {
      queued = Math.max(queued, job.queueNanos());
      computed = Math.max(computed, job.inferenceNanos);
    }
    queue.record(seconds(queued));
    inference.record(seconds(computed));
  }

  void requestFailed(Failure failure) {
    counter("te.request.failure", "err", failure.name().toLowerCase()).increment();
  }

  /**
   * The counter of {@code name} with one tag, looked up in the registry once (it builds a meter id
   * on every lookup) and kept: a handful of tag values, counted on every request.
   */
  private Counter counter(String name, String tag, String value) {
    return counters.computeIfAbsent(
        name + '\u0000' + value, key -> registry.counter(name, tag, value));
  }

  void batchFormed(int size, int paddedTokens) {
    nextSize.record(size);
    nextTokens.record(paddedTokens);
  }

  void batchRun(int size, long nanos, boolean ok) {
    batchSize.record(size);
    batchDuration.record(seconds(nanos));
    (ok ? batchSuccess : batchFailure).increment();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
