package org.minibert.inference.service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.batch.DynamicBatcher;
import org.minibert.inference.batch.LengthBuckets;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * Fill-mask and next-sentence prediction over the current model version: requests become jobs
 * (validated and tokenized on the caller's thread, see {@link FillMaskJob} and {@link NspJob}),
 * jobs run through the dynamic batcher, and their rows of the model's output become answers.
 *
 * <p>A request holds a reference to the version it started with until its answer is complete, so a
 * hot swap never closes a session under it, and all texts of one request are answered by the same
 * version.
 */
@ApplicationScoped
public class InferenceService {

  @Inject CurrentVersion current;
  @Inject MiniBertConfig config;
  @Inject MeterRegistry registry;
  @Inject RequestTracing tracing;

  private DynamicBatcher<Job<?>> batcher;

  @PostConstruct
  void start() {
    MiniBertConfig.Batch settings = config.batch();
    DistributionSummary batchSizes =
        DistributionSummary.builder("minibert.batch.size")
            .description("requests per ONNX Runtime call")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
            .register(registry);
    Timer batchTimes =
        Timer.builder("minibert.batch.duration")
            .description("time of one batch: padding, ONNX Runtime, post-processing")
            .publishPercentileHistogram()
            .register(registry);
    batcher =
        new DynamicBatcher<>(
            "minibert-batcher",
            settings.queueCapacity(),
            settings.maxSize(),
            settings.maxDelay(),
            settings.workers(),
            settings.retryAfterSeconds(),
            this::process,
            Job::fail,
            (size, nanos) -> {
              batchSizes.record(size);
              batchTimes.record(nanos, TimeUnit.NANOSECONDS);
            });
    Gauge.builder("minibert.queue.depth", batcher, DynamicBatcher::queueDepth)
        .description("requests waiting for a batch")
        .register(registry);
  }

  @PreDestroy
  void stop() {
    batcher.close();
  }

  /**
   * Fill-mask for one or more texts, all by one model version.
   *
   * @param completion where the answers are computed from the logits (softmax, top-k) and the
   *     future completed: the caller's event loop, so that the batcher's thread does nothing but
   *     run the model
   */
  public CompletableFuture<List<FillMaskResult>> fillMask(
      List<String> texts, int topK, List<String> targets, Executor completion) {
    checkTopK(topK);
    ServedVersion version = current.acquire();
    try {
      int[] targetIds =
          targets == null ? null : MaskedText.resolveTargets(targets, version.tokenizer());
      List<FillMaskJob> jobs =
          tracing.tokenize(
              "fill-mask",
              texts.size(),
              () -> {
                List<FillMaskJob> made = new ArrayList<>(texts.size());
                for (int i = 0; i < texts.size(); i++) {
                  String label = texts.size() == 1 ? "text" : "inputs[" + i + "]";
                  made.add(
                      new FillMaskJob(
                          version,
                          completion,
                          texts.get(i),
                          label,
                          topK,
                          targetIds,
                          config.limits().maxMasks()));
                }
                return made;
              });
      return submitAll(version, jobs);
    } catch (RuntimeException e) {
      version.release();
      throw e;
    }
  }

  /**
   * Next-sentence prediction for one or more pairs, all by one model version (see {@link
   * #fillMask}).
   */
  public CompletableFuture<List<NspResult>> nsp(List<String[]> pairs, Executor completion) {
    ServedVersion version = current.acquire();
    try {
      List<NspJob> jobs =
          tracing.tokenize(
              "nsp",
              pairs.size(),
              () -> {
                List<NspJob> made = new ArrayList<>(pairs.size());
                for (int i = 0; i < pairs.size(); i++) {
                  String label = pairs.size() == 1 ? "" : "[" + i + "].";
                  made.add(
                      new NspJob(version, completion, pairs.get(i)[0], pairs.get(i)[1], label));
                }
                return made;
              });
      return submitAll(version, jobs);
    } catch (RuntimeException e) {
      version.release();
      throw e;
    }
  }

  private void checkTopK(int topK) {
    int max = config.limits().maxTopK();
    if (topK < 1 || topK > max) {
      throw new BadInputException("top_k must be between 1 and " + max + ", got " + topK);
    }
  }

  /**
   * Queues every job; the request's reference to the version is released once all of them are
   * answered.
   */
  private <R> CompletableFuture<List<R>> submitAll(
      ServedVersion version, List<? extends Job<R>> jobs) {
    List<CompletableFuture<R>> futures = new ArrayList<>(jobs.size());
    int submitted = 0;
    try {
      for (Job<R> job : jobs) {
        tracing.queued(job);
        batcher.submit(job);
        submitted++;
        futures.add(job.result);
      }
    } catch (RuntimeException e) {
      // a full queue part way: cancel the jobs already queued (the batcher skips cancelled jobs)
      // and refuse
      for (int i = 0; i < submitted; i++) {
        jobs.get(i).result.cancel(false);
      }
      CompletableFuture<List<R>> refused = CompletableFuture.failedFuture(e);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .whenComplete((v, x) -> version.release());
      return refused;
    }
    CompletableFuture<List<R>> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> futures.stream().map(CompletableFuture::join).toList());
    all.whenComplete((value, error) -> version.release());
    return all;
  }

  /**
   * One batch from the batcher's thread: grouped by version (two only during a swap), one run per
   * length bucket.
   */
  private void process(List<Job<?>> batch) {
    Map<ServedVersion, List<Job<?>>> byVersion = new IdentityHashMap<>();
    for (Job<?> job : batch) {
      if (!job.cancelled()) {
        byVersion.computeIfAbsent(job.version, v -> new ArrayList<>()).add(job);
      }
    }
    tracing.dequeued(batch);
    for (Map.Entry<ServedVersion, List<Job<?>>> group : byVersion.entrySet()) {
      for (List<Job<?>> jobs : LengthBuckets.split(group.getValue(), job -> job.input.length())) {
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
    BatchOutput output;
    try {
      boolean wantLogits = logits;
      boolean wantNsp = nsp;
      output =
          tracing.infer(
              version.version(), jobs, () -> version.session().run(inputs, wantLogits, wantNsp));
    } catch (Exception e) {
      for (Job<?> job : jobs) {
        job.fail(new IllegalStateException("inference failed: " + e.getMessage(), e));
      }
      return;
    }
    for (int row = 0; row < jobs.size(); row++) {
      Job<?> job = jobs.get(row);
      try {
        job.complete(output, row);
      } catch (RuntimeException e) {
        job.fail(e);
      }
    }
  }
}
