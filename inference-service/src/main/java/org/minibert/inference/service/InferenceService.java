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
import org.minibert.inference.config.MiniBertConfig;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.CurrentVersion;
import org.minibert.inference.version.ServedVersion;

/**
 * Fill-mask and next-sentence prediction over the current model version: validates and tokenizes on the caller's
 * thread, runs the model through the dynamic batcher, and turns logits into answers.
 *
 * <p>A request holds a reference to the version it started with until its answer is complete, so a hot swap never
 * closes a session under it, and all texts of one request are answered by the same version.
 */
@ApplicationScoped
public class InferenceService {

  @Inject CurrentVersion holder;
  @Inject MiniBertConfig config;
  @Inject MeterRegistry registry;

  private DynamicBatcher<Job> batcher;

  @PostConstruct
  void start() {
    MiniBertConfig.Batch settings = config.batch();
    DistributionSummary batchSizes = DistributionSummary.builder("minibert.batch.size")
        .description("requests per ONNX Runtime call")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
        .register(registry);
    Timer batchTimes = Timer.builder("minibert.batch.duration")
        .description("time of one batch: padding, ONNX Runtime, post-processing")
        .publishPercentileHistogram()
        .register(registry);
    batcher = new DynamicBatcher<>("minibert-batcher", settings.queueCapacity(), settings.maxSize(),
        settings.maxDelay(), settings.workers(), settings.retryAfterSeconds(), this::process, Job::fail, (size, nanos) -> {
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

  /** Fill-mask for one or more texts, all by one model version, completed on the batcher's thread. */
  public CompletableFuture<List<FillMaskResult>> fillMask(List<String> texts, int topK, List<String> targets) {
    return fillMask(texts, topK, targets, Runnable::run);
  }

  /**
   * Fill-mask for one or more texts, all by one model version.
   *
   * @param completion where the answers are computed from the logits (softmax, top-k) and the future completed: the
   *     caller's event loop, so that the batcher's thread does nothing but run the model
   */
  public CompletableFuture<List<FillMaskResult>> fillMask(List<String> texts, int topK, List<String> targets,
      Executor completion) {
    checkTopK(topK);
    ServedVersion model = holder.acquire();
    try {
      int[] targetIds = targets == null ? null : MaskedText.resolveTargets(targets, model.tokenizer());
      List<FillMaskJob> jobs = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        String label = texts.size() == 1 ? "text" : "inputs[" + i + "]";
        jobs.add(new FillMaskJob(model, completion, texts.get(i), label, topK, targetIds, config.limits().maxMasks()));
      }
      return submitAll(model, jobs);
    } catch (RuntimeException e) {
      model.release();
      throw e;
    }
  }

  /** Next-sentence prediction for one or more pairs, all by one model version (see {@link #fillMask}). */
  public CompletableFuture<List<NspResult>> nsp(List<String[]> pairs, Executor completion) {
    ServedVersion model = holder.acquire();
    try {
      List<NspJob> jobs = new ArrayList<>(pairs.size());
      for (int i = 0; i < pairs.size(); i++) {
        String label = pairs.size() == 1 ? "" : "[" + i + "].";
        jobs.add(new NspJob(model, completion, pairs.get(i)[0], pairs.get(i)[1], label));
      }
      return submitAll(model, jobs);
    } catch (RuntimeException e) {
      model.release();
      throw e;
    }
  }

  private void checkTopK(int topK) {
    int max = config.limits().maxTopK();
    if (topK < 1 || topK > max) {
      throw new BadInputException("top_k must be between 1 and " + max + ", got " + topK);
    }
  }

  private <R> CompletableFuture<List<R>> submitAll(ServedVersion model, List<? extends TypedJob<R>> jobs) {
    List<CompletableFuture<R>> futures = new ArrayList<>(jobs.size());
    int submitted = 0;
    try {
      for (TypedJob<R> job : jobs) {
        batcher.submit(job);
        submitted++;
        futures.add(job.result);
      }
    } catch (RuntimeException e) {
      // a full queue part way: cancel the jobs already queued (the batcher skips cancelled jobs) and refuse
      for (int i = 0; i < submitted; i++) {
        jobs.get(i).result.cancel(false);
      }
      CompletableFuture<List<R>> refused = CompletableFuture.failedFuture(e);
      waitAndRelease(model, futures);
      return refused;
    }
    CompletableFuture<List<R>> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> futures.stream().map(CompletableFuture::join).toList());
    all.whenComplete((value, error) -> model.release());
    return all;
  }

  private static <R> void waitAndRelease(ServedVersion model, List<CompletableFuture<R>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> model.release());
  }

  /** One batch from the batcher's thread: grouped by model version (two only during a swap), one run each. */
  private void process(List<Job> batch) {
    Map<ServedVersion, List<Job>> byModel = new IdentityHashMap<>();
    for (Job job : batch) {
      if (!job.cancelled()) {
        byModel.computeIfAbsent(job.model, m -> new ArrayList<>()).add(job);
      }
    }
    for (Map.Entry<ServedVersion, List<Job>> group : byModel.entrySet()) {
      for (List<Job> jobs : similarLengths(group.getValue())) {
        runGroup(group.getKey(), jobs);
      }
    }
  }

  /**
   * Splits a batch into runs of similar length (sorted, each run's longest input at most a quarter longer than its
   * shortest, plus 2 tokens): every input is padded to the longest of its run, and on CPU padding costs as much as
   * real tokens while batching saves little, so one run with a 10-token and a 60-token input would waste most of it.
   */
  static List<List<Job>> similarLengths(List<Job> jobs) {
    List<Job> sorted = new ArrayList<>(jobs);
    sorted.sort(java.util.Comparator.comparingInt(job -> job.input.length()));
    List<List<Job>> runs = new ArrayList<>();
    List<Job> run = new ArrayList<>();
    int shortest = 0;
    for (Job job : sorted) {
      int length = job.input.length();
      if (!run.isEmpty() && length > shortest + Math.max(2, shortest / 4)) {
        runs.add(run);
        run = new ArrayList<>();
      }
      if (run.isEmpty()) {
        shortest = length;
      }
      run.add(job);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  private void runGroup(ServedVersion model, List<Job> jobs) {
    List<Encoded> inputs = new ArrayList<>(jobs.size());
    boolean logits = false;
    boolean nsp = false;
    for (Job job : jobs) {
      inputs.add(job.input);
      logits |= job.needsLogits();
      nsp |= !job.needsLogits();
    }
    BatchOutput output;
    try {
      output = model.session().run(inputs, logits, nsp);
    } catch (Exception e) {
      for (Job job : jobs) {
        job.fail(new IllegalStateException("inference failed: " + e.getMessage(), e));
      }
      return;
    }
    for (int row = 0; row < jobs.size(); row++) {
      Job job = jobs.get(row);
      try {
        job.complete(output, row);
      } catch (RuntimeException e) {
        job.fail(e);
      }
    }
  }

  /** A model input waiting in the batcher. */
  abstract static class Job {
    final ServedVersion model;
    Encoded input;

    Job(ServedVersion model) {
      this.model = model;
    }

    abstract boolean needsLogits();

    abstract void complete(BatchOutput output, int row);

    abstract void fail(Throwable cause);

    abstract boolean cancelled();
  }

  abstract static class TypedJob<R> extends Job {
    final CompletableFuture<R> result = new CompletableFuture<>();
    final Executor completion;

    TypedJob(ServedVersion model, Executor completion) {
      super(model);
      this.completion = completion;
    }

    @Override
    void fail(Throwable cause) {
      completion.execute(() -> result.completeExceptionally(cause));
    }

    @Override
    boolean cancelled() {
      return result.isDone();
    }
  }

  static final class FillMaskJob extends TypedJob<FillMaskResult> {
    private final String text;
    private final int topK;
    private final int[] targets;
    private final int[] positions;

    FillMaskJob(ServedVersion model, Executor completion, String text, String label, int topK, int[] targets,
        int maxMasks) {
      super(model, completion);
      if (text == null || text.isBlank()) {
        throw new BadInputException(label + " is missing or empty");
      }
      int masks = MaskedText.countMasks(text);
      if (masks == 0) {
        throw new BadInputException(label + " has no [MASK]: write [MASK] where a word is to be predicted");
      }
      if (masks > maxMasks) {
        throw new BadInputException(label + " has " + masks + " [MASK]s; at most " + maxMasks + " are allowed");
      }
      this.text = text;
      this.topK = topK;
      this.targets = targets;
      this.input = model.tokenizer().encode(text);
      if (input.length() > model.maxPositions()) {
        throw new BadInputException(label + " is " + input.length() + " tokens long ([CLS] and [SEP] included);"
            + " the model reads at most " + model.maxPositions());
      }
      this.positions = MaskedText.maskPositions(input.ids());
      if (positions.length == 0) {
        throw new BadInputException(label + " has no [MASK] the tokenizer recognises");
      }
    }

    @Override
    boolean needsLogits() {
      return true;
    }

    @Override
    void complete(BatchOutput output, int row) {
      float[][] rows = new float[positions.length][];
      for (int m = 0; m < positions.length; m++) {
        rows[m] = output.logits(row, positions[m]);
      }
      completion.execute(() -> {
        try {
          List<MaskPrediction> masks = new ArrayList<>(positions.length);
          for (int m = 0; m < positions.length; m++) {
            int start = input.starts()[positions[m]];
            int end = input.ends()[positions[m]];
            List<Candidate> candidates = MaskedText.topK(rows[m], topK, targets, model.tokenizer(), text, start, end);
            masks.add(new MaskPrediction(positions[m], start, end, candidates));
          }
          result.complete(new FillMaskResult(model.version(), text, masks));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    }
  }

  static final class NspJob extends TypedJob<NspResult> {
    NspJob(ServedVersion model, Executor completion, String first, String second, String label) {
      super(model, completion);
      if (first == null || first.isBlank()) {
        throw new BadInputException(label + "first is missing or empty");
      }
      if (second == null || second.isBlank()) {
        throw new BadInputException(label + "second is missing or empty");
      }
      this.input = model.tokenizer().encodePair(first, second);
      if (input.length() > model.maxPositions()) {
        String pair = label.isEmpty() ? "the pair" : "pair " + label.substring(0, label.length() - 1);
        throw new BadInputException(pair + " is " + input.length()
            + " tokens long ([CLS] and two [SEP] included); the model reads at most " + model.maxPositions());
      }
    }

    @Override
    boolean needsLogits() {
      return false;
    }

    @Override
    void complete(BatchOutput output, int row) {
      float[] logits = output.nsp(row);
      double max = Math.max(logits[0], logits[1]);
      double e0 = Math.exp(logits[0] - max);
      double e1 = Math.exp(logits[1] - max);
      double p = e0 / (e0 + e1);
      NspResult answer = new NspResult(model.version(), p >= 0.5, p, new double[] {logits[0], logits[1]});
      completion.execute(() -> result.complete(answer));
    }
  }
}
