package org.minibert.inference.service;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.batch.LengthBuckets;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.ServedVersion;

/**
 * Runs one batch from the batcher's thread: grouped by version (two only during a swap), one model
 * call per length bucket. When a call fails, each of its jobs is run again alone, so one input the
 * model cannot compute fails only its own request: with a 400 when ONNX Runtime calls the input
 * invalid, otherwise with a 500 that says which input failed and why.
 */
final class BatchRunner {
  private static final Logger LOG = Logger.getLogger(BatchRunner.class);

  private final ServingMetrics metrics;
  private final RequestTracing tracing;

  BatchRunner(ServingMetrics metrics, RequestTracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
  }

  void process(List<Job<?>> batch) {
    tracing.dequeued(batch);
    Map<ServedVersion, List<Job<?>>> byVersion = new IdentityHashMap<>();
    for (Job<?> job : batch) {
      byVersion.computeIfAbsent(job.version, v -> new ArrayList<>()).add(job);
    }
    for (Map.Entry<ServedVersion, List<Job<?>>> group : byVersion.entrySet()) {
      for (List<Job<?>> jobs : LengthBuckets.split(group.getValue(), Job::length)) {
        run(group.getKey(), jobs);
      }
    }
  }

  private void run(ServedVersion version, List<Job<?>> jobs) {
    List<Encoded> inputs = new ArrayList<>(jobs.size());
    boolean logits = false;
    boolean nsp = false;
    for (Job<?> job : jobs) {
      inputs.add(job.input);
      logits |= job.needsLogits();
      nsp |= !job.needsLogits();
    }
    long start = System.nanoTime();
    BatchOutput output;
    try {
      boolean wantLogits = logits;
      boolean wantNsp = nsp;
      output =
          tracing.infer(
              version.version(), jobs, () -> version.session().run(inputs, wantLogits, wantNsp));
    } catch (Exception | LinkageError e) {
      metrics.batchRun(jobs.size(), System.nanoTime() - start, false);
      if (jobs.size() > 1) {
        LOG.warnf(
            "a batch of %d inputs failed on %s (%s); running each alone",
            jobs.size(), version.version(), e.getMessage());
        for (Job<?> job : jobs) {
          run(version, List.of(job));
        }
      } else {
        jobs.get(0).fail(failure(version, jobs.get(0), e));
      }
      return;
    }
    long nanos = System.nanoTime() - start;
    metrics.batchRun(jobs.size(), nanos, true);
    for (int row = 0; row < jobs.size(); row++) {
      Job<?> job = jobs.get(row);
      job.inferenceNanos = nanos;
      try {
        job.complete(output, row);
      } catch (RuntimeException e) {
        job.fail(e);
      }
    }
  }

  private static RuntimeException failure(ServedVersion version, Job<?> job, Throwable e) {
    String what =
        job.name + " (" + job.length() + " tokens) on model version " + version.version() + ": ";
    if (e instanceof OrtException ort
        && ort.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
      LOG.warnf("the model refused %s%s", what, e.getMessage());
      return new BadInputException("the model cannot compute " + what + e.getMessage());
    }
    LOG.errorf(e, "inference failed for %s", what);
    return new InferenceFailedException("inference failed for " + what + e.getMessage(), e);
  }
}
