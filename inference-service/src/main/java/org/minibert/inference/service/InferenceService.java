package org.minibert.inference.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.minibert.inference.batch.DynamicBatcher;
import org.minibert.inference.batch.QueueFullException;
import org.minibert.inference.batch.QueueShareException;
import org.minibert.inference.batch.QueueTimeoutException;
import org.minibert.inference.batch.RetryLaterException;
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ModelUnavailableException;
import org.minibert.inference.version.ServedVersion;

/**
 * Fill-mask and next-sentence prediction over the current model version: requests become jobs
 * (validated and tokenized on the caller's thread, see {@link FillMaskJob} and {@link NspJob}),
 * jobs run through the dynamic batcher ({@link BatchRunner}), and their rows of the model's output
 * become answers.
 *
 * <p>A request holds a reference to the version it started with until every one of its jobs is
 * answered (run, or cancelled before it ran), so a hot swap never closes a session under a running
 * batch, and all texts of one request are answered by the same version.
 *
 * <p>Shutdown: when Quarkus begins its shutdown delay the batcher stops taking new work (503), and
 * at the shutdown event, before the model version is released ({@code ModelLifecycle}), the queue
 * is finished.
 */
@ApplicationScoped
public class InferenceService {
  private static final Logger LOG = Logger.getLogger(InferenceService.class);

  /** How long the shutdown waits for the queue to finish (Quarkus has waited for HTTP first). */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  @Inject CurrentVersion current;
  @Inject MiniBertConfig config;
  @Inject MeterRegistry registry;
  @Inject RequestTracing tracing;

  private ServingMetrics metrics;
  private DynamicBatcher<Job<?>> batcher;

  @PostConstruct
  void start() {
    MiniBertConfig.Batch settings = config.batch();
    int processors = Runtime.getRuntime().availableProcessors();
    int workers = workers(settings.workers(), config.threads().intraOp(), processors);
    LOG.infof(
        "batching: %d workers x %d ONNX Runtime intra-op threads (%d processors)",
        workers, config.threads().intraOp(), processors);
    metrics = new ServingMetrics(registry);
    batcher =
        new DynamicBatcher<>(
            "minibert-batcher",
            new DynamicBatcher.Settings(
                settings.queueCapacity(),
                settings.maxSize(),
                settings.maxBatchTokens(),
                settings.maxDelay(),
                workers,
                settings.retryAfterSeconds(),
                config.requestTimeout(),
                config.limits().maxQueueShare()),
            new BatchRunner(metrics, tracing)::process,
            Job::fail,
            metrics::batchFormed);
    metrics.queueSize(batcher::queueDepth);
  }

  /**
   * The batch workers to run: {@code configured} unless it is 0 (a negative one is refused by the
   * batcher), else one per processor for each intra-op thread (at least one; one when ONNX Runtime
   * sizes its own pool, intra-op 0).
   */
  static int workers(int configured, int intraOpThreads, int processors) {
    if (configured != 0) {
      return configured;
    }
    return intraOpThreads <= 0 ? 1 : Math.max(1, processors / intraOpThreads);
  }

  /** Shutdown begins (Quarkus' shutdown delay): new work is refused, queued work still runs. */
  void stopAccepting(@Observes ShutdownDelayInitiatedEvent event) {
    LOG.info("shutting down: new requests are refused (503), queued ones are finished");
    batcher.stopAccepting();
  }

  /**
   * Finishes the queue before anything else observes the shutdown (the version is released after).
   */
  void drain(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
    batcher.close(DRAIN_TIMEOUT);
  }

  @PreDestroy
  void stop() {
    batcher.close(Duration.ZERO);
  }

  /**
   * Fill-mask for one or more texts, all by one model version.
   *
   * @param completion where the answers are computed from the logits (softmax, top-k) and the
   *     future completed: a worker pool (not an event loop) for requests of many texts, so that the
   *     batcher's thread does little but run the model; the batcher's thread itself ({@code
   *     Runnable::run}) for one text, whose few masks rank in microseconds
   */
  public CompletableFuture<List<FillMaskResult>> fillMask(
      List<String> texts, int topK, List<String> targets, Executor completion) {
    long start = System.nanoTime();
    String method = method(texts.size());
    metrics.requestStarted(method);
    checkTopK(topK);
    admit(texts.size());
    ServedVersion version = acquire();
    List<FillMaskJob> jobs = new ArrayList<>(texts.size());
    try {
      int[] targetIds =
          targets == null ? null : MaskedText.resolveTargets(targets, version.tokenizer());
      tracing.tokenize(
          "fill-mask",
          texts.size(),
          () -> {
            for (int i = 0; i < texts.size(); i++) {
              String label = texts.size() == 1 ? "text" : "inputs[" + i + "]";
              jobs.add(
                  new FillMaskJob(
                      version,
                      completion,
                      texts.get(i),
                      label,
                      topK,
                      targetIds,
                      config.limits().maxMasks()));
            }
            return jobs;
          });
    } catch (RuntimeException e) {
      version.release();
      metrics.requestFailed(ServingMetrics.Failure.VALIDATION);
      throw e;
    }
    return submitAll(version, jobs, method, start);
  }

  /**
   * Next-sentence prediction for one or more pairs, all by one model version (see {@link
   * #fillMask}).
   */
  public CompletableFuture<List<NspResult>> nsp(List<String[]> pairs, Executor completion) {
    long start = System.nanoTime();
    String method = method(pairs.size());
    metrics.requestStarted(method);
    admit(pairs.size());
    ServedVersion version = acquire();
    List<NspJob> jobs = new ArrayList<>(pairs.size());
    try {
      tracing.tokenize(
          "nsp",
          pairs.size(),
          () -> {
            for (int i = 0; i < pairs.size(); i++) {
              String label = pairs.size() == 1 ? "" : "[" + i + "].";
              jobs.add(new NspJob(version, completion, pairs.get(i)[0], pairs.get(i)[1], label));
            }
            return jobs;
          });
    } catch (RuntimeException e) {
      version.release();
      metrics.requestFailed(ServingMetrics.Failure.VALIDATION);
      throw e;
    }
    return submitAll(version, jobs, method, start);
  }

  private static String method(int inputs) {
    return inputs == 1 ? "single" : "batch";
  }

  /**
   * Refuses (429) a request that would take too much of the queue before any of its texts is
   * tokenized; {@link DynamicBatcher#submitAll} checks again when the jobs are queued.
   */
  private void admit(int inputs) {
    try {
      batcher.checkShare(inputs);
    } catch (QueueShareException e) {
      metrics.requestFailed(ServingMetrics.Failure.OVERLOADED);
      throw e;
    }
  }

  private ServedVersion acquire() {
    try {
      return current.acquire();
    } catch (ModelUnavailableException e) {
      metrics.requestFailed(ServingMetrics.Failure.UNAVAILABLE);
      throw e;
    }
  }

  private void checkTopK(int topK) {
    int max = config.limits().maxTopK();
    if (topK < 1 || topK > max) {
      metrics.requestFailed(ServingMetrics.Failure.VALIDATION);
      throw new BadInputException("top_k must be between 1 and " + max + ", got " + topK);
    }
  }

  /**
   * Queues every job (all or none); the request's reference to the version is released once every
   * job is answered: run (after its batch's model call) or cancelled before it ran.
   */
  private <R> CompletableFuture<List<R>> submitAll(
      ServedVersion version, List<? extends Job<R>> jobs, String method, long start) {
    metrics.tokenized(System.nanoTime() - start, jobs);
    List<CompletableFuture<R>> futures = jobs.stream().map(job -> job.result).toList();
    CompletableFuture<Void> answered =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    answered.whenComplete((ignored, error) -> version.release());
    jobs.forEach(tracing::queued);
    try {
      batcher.submitAll(jobs);
    } catch (RetryLaterException e) {
      metrics.requestFailed(failure(e));
      return CompletableFuture.failedFuture(e);
    }
    return answered
        .thenApply(ignored -> futures.stream().map(CompletableFuture::join).toList())
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                metrics.requestSucceeded(method, System.nanoTime() - start, jobs);
              } else {
                metrics.requestFailed(failure(error));
              }
            });
  }

  private static ServingMetrics.Failure failure(Throwable error) {
    Throwable e = error.getCause() != null ? error.getCause() : error;
    if (e instanceof BadInputException) {
      return ServingMetrics.Failure.VALIDATION;
    }
    if (e instanceof QueueFullException
        || e instanceof QueueTimeoutException
        || e instanceof QueueShareException) {
      return ServingMetrics.Failure.OVERLOADED;
    }
    if (e instanceof RetryLaterException) {
      return ServingMetrics.Failure.UNAVAILABLE;
    }
    return ServingMetrics.Failure.BACKEND;
  }
}
