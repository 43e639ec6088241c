package org.minibert.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import org.minibert.trainer.Progress;
import org.minibert.trainer.data.BatchBuilder;
import org.minibert.trainer.data.BatchTensors;
import org.minibert.trainer.data.PretrainingBatch;
import org.minibert.trainer.data.TrainingData;
import org.minibert.trainer.evaluate.Evaluator;
import org.minibert.trainer.model.BertConfig;
import org.minibert.trainer.model.BertForPreTraining;
import org.minibert.trainer.model.PreTrainingLoss;
import org.minibert.trainer.run.Checkpoint;
import org.minibert.trainer.run.RunConfig;
import org.minibert.trainer.run.RunFolder;
import org.minibert.trainer.run.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-training loop: MLM + NSP (or MLM alone) on a prepared data set with AdamW and the
 * one-cycle schedule, validation every epoch (and every {@code evalEvery} steps), metrics and
 * plots, and crash-safe checkpoints a run resumes from.
 *
 * <p>Reproducibility: instances, masks and the epoch order are functions of the seed; PyTorch's
 * generator is re-seeded from (seed, step) before every step, so dropout is too. A resumed run
 * therefore computes exactly the losses the uninterrupted run would have.
 */
public final class Pretrainer {
  private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

  /**
   * What a finished run reports: its size, last train loss, last validation and median throughput
   * (sequences/s).
   */
  public record Summary(
      long steps,
      double trainLoss,
      Evaluator.Result validation,
      double seqPerS,
      long skippedSteps,
      long numParameters) {}

  private final Path runDir;
  private final TrainOptions options;
  private final ComputeDevice.Choice deviceChoice;

  private Pretrainer(Path runDir, TrainOptions options, ComputeDevice.Choice deviceChoice) {
    this.runDir = runDir;
    this.options = options;
    this.deviceChoice = deviceChoice;
  }

  /**
   * Starts a new run in {@code runDir}, or with {@code resume} continues the run there from its
   * last checkpoint (with the options it was started with). {@code resume} on a folder without a
   * checkpoint starts afresh, so a restarted Kubernetes Job can always pass it; such a folder is
   * cleared only when it is a run the trainer started ({@link RunFolder}).
   */
  public static Pretrainer open(
      Path runDir, TrainOptions options, boolean resume, ComputeDevice.Choice device)
      throws IOException {
    boolean hasCheckpoint = Checkpoint.latest(runDir).isPresent();
    if (resume && hasCheckpoint) {
      TrainOptions stored = RunConfig.read(runDir).training();
      LOG.info("resuming {} with the options it was started with", runDir);
      return new Pretrainer(runDir, stored, device);
    }
    if (resume) {
      LOG.info("{} has no checkpoint yet: starting the run", runDir);
    }
    try (RunFolder.Lock lock = RunFolder.lock(runDir)) {
      RunFolder.prepareNew(runDir, resume);
    }
    return new Pretrainer(runDir, options, device);
  }

  public TrainOptions options() {
    return options;
  }

  public Summary run() throws IOException, InterruptedException {
    return runUntil(Long.MAX_VALUE, null);
  }

  /**
   * Trains until {@code stopStep} steps are done (or the run is complete), then checkpoints and
   * returns; the schedule still spans the whole run, so a later {@code --resume} continues as if
   * never stopped. Lets a caller train a long run in slices (a preemptible node, a time-boxed demo,
   * a resume test).
   */
  public Summary runUntil(long stopStep) throws IOException, InterruptedException {
    return runUntil(stopStep, null);
  }

  /**
   * Like {@link #runUntil(long)}, and also stops (validating and checkpointing) at the first step
   * that ends after {@code deadline}: a time-boxed run, such as the demo's.
   */
  public Summary runUntil(long stopStep, Instant deadline)
      throws IOException, InterruptedException {
    try (RunFolder.Lock lock = RunFolder.lock(runDir)) {
      return runLocked(stopStep, deadline);
    }
  }

  /** The run, while this trainer holds the run folder's lock. */
  private Summary runLocked(long stopStep, Instant deadline)
      throws IOException, InterruptedException {
    TrainingData data = TrainingData.open(options.data(), options);
    BertConfig config =
        BertConfig.resolve(options.config())
            .withVocabSize(data.vocabSize())
            .withDropout(options.hiddenDropout(), options.attentionDropout());
    if (config.maxPositionEmbeddings() < data.info().maxSeqLen()) {
      throw new IllegalArgumentException(
          "config "
              + config.name()
              + " has "
              + config.maxPositionEmbeddings()
              + " positions but the data set has sequences of "
              + data.info().maxSeqLen()
              + " tokens");
    }
    BatchBuilder train = data.train();
    int instances = train.size(); // every epoch draws new pairs, as many as epoch 0 made
    int stepsPerEpoch = (instances + options.batchSize() - 1) / options.batchSize();
    long totalSteps = (long) stepsPerEpoch * options.epochs();
    if (options.maxSteps() > 0) {
      totalSteps = Math.min(totalSteps, options.maxSteps());
    }
    OneCycleSchedule schedule = new OneCycleSchedule(options.maxLr(), totalSteps);
    Evaluator evaluator = new Evaluator(data.val(), options.evalInstances(), options.batchSize());

    Device device = ComputeDevice.select(deviceChoice);
    Engine.getInstance().setRandomSeed((int) options.seed());
    try (NDManager manager = NDManager.newBaseManager(device)) {
      BertForPreTraining model = new BertForPreTraining(config);
      model.initialize(manager);
      long numParameters = model.parameterCount();
      LOG.info(
          "model {}: {} parameters ({} layers x {} hidden, {} heads, vocabulary {})",
          config.name(),
          String.format("%,d", numParameters),
          config.numHiddenLayers(),
          config.hiddenSize(),
          config.numAttentionHeads(),
          config.vocabSize());
      LOG.info(
          "data {}: {} training instances, {} validation instances; {} steps per epoch, {} steps in"
              + " all",
          options.data(),
          instances,
          data.val().size(),
          stepsPerEpoch,
          totalSteps);
      LOG.info(
          "objective {}, mask rate {}{}, dropout {} (hidden) / {} (attention)",
          options.objective(),
          options.maskRate(),
          options.wholeWordMasking() ? " by whole words" : " by pieces",
          config.hiddenDropoutProb(),
          config.attentionProbsDropoutProb());

      try (AdamW optimizer =
          AdamW.bert(
              manager, model.namedParameters(), Pretrainer::decayed, options.weightDecay())) {
        Checkpoint.State state = new Checkpoint.State(0, 0, 0, 0);
        Optional<Path> checkpoint = Checkpoint.latest(runDir);
        MetricsLog log;
        if (checkpoint.isPresent()) {
          Checkpoint.loadModel(checkpoint.get(), model, manager);
          Checkpoint.loadOptimizer(checkpoint.get(), optimizer);
          state = Checkpoint.readState(checkpoint.get());
          log = MetricsLog.resume(runDir, state.step());
          LOG.info(
              "resumed from {} at step {} (epoch {})",
              checkpoint.get().getFileName(),
              state.step(),
              state.epoch() + 1);
        } else {
          RunFolder.create(runDir);
          new RunConfig(
                  RunConfig.FORMAT_VERSION,
                  Instant.now().toString(),
                  config,
                  numParameters,
                  options)
              .write(runDir);
          log = MetricsLog.create(runDir);
        }
        try (log) {
          Loop loop =
              new Loop(
                  model,
                  optimizer,
                  manager,
                  train,
                  evaluator,
                  schedule,
                  log,
                  stepsPerEpoch,
                  state,
                  config.name());
          return loop.run(numParameters, stopStep, deadline);
        }
      }
    }
  }

  /**
   * The run's figures from its metrics log, so a run resumed after it had finished reports the same
   * as when it finished: the last train line's loss, the last validation, the median throughput of
   * the train lines.
   */
  static Summary summarize(
      java.util.List<MetricsRecord> records,
      long steps,
      long skipped,
      long numParameters,
      Evaluator evaluator) {
    MetricsRecord lastTrain = null;
    MetricsRecord lastVal = null;
    java.util.List<Double> speeds = new java.util.ArrayList<>();
    for (MetricsRecord r : records) {
      if (r.split().equals(MetricsRecord.TRAIN)) {
        lastTrain = r;
        speeds.add(r.seqPerS());
      } else {
        lastVal = r;
      }
    }
    java.util.Collections.sort(speeds);
    Evaluator.Result validation =
        lastVal == null
            ? null
            : new Evaluator.Result(
                lastVal.mlmLoss(),
                lastVal.nspLoss(),
                lastVal.mlmAccuracy(),
                lastVal.nspAccuracy(),
                evaluator.size());
    return new Summary(
        steps,
        lastTrain == null ? Double.NaN : lastTrain.loss(),
        validation,
        speeds.isEmpty() ? 0 : speeds.get(speeds.size() / 2),
        skipped,
        numParameters);
  }

  /**
   * BERT applies weight decay to weight matrices only: not to biases (the decoder bias {@code
   * cls.predictions.bias} included) or LayerNorm, Hugging Face's {@code no_decay = ["bias",
   * "LayerNorm.weight"]}.
   */
  static boolean decayed(String name) {
    return !(name.endsWith(".bias") || name.endsWith(".LayerNorm.weight"));
  }

  /**
   * A stretch of one epoch trained from one prefetcher: the batches {@code [from, to)} of the
   * epoch's order. A slice starts where the run stands and ends at its epoch's end or at the
   * session's end step, whichever comes first.
   */
  record Slice(int epoch, int from, int to) {
    /**
     * @param step steps done (where the run stands)
     * @param endStep the step this session stops at
     */
    static Slice starting(long step, long endStep, int stepsPerEpoch) {
      int epoch = (int) (step / stepsPerEpoch); // after the last step of an epoch, the next one
      long epochStart = (long) epoch * stepsPerEpoch;
      return new Slice(
          epoch, (int) (step - epochStart), (int) Math.min(stepsPerEpoch, endStep - epochStart));
    }
  }

  /**
   * One session of a run: from where its checkpoint left it (or step 0) to a stop step, the run's
   * end or a deadline.
   *
   * <p>Where the run stands is one number, {@link #step}: the steps done, skipped ones included.
   * The schedule, the checkpoints and resuming go by it, and the rest derives from it: the next
   * step's epoch is {@code step / stepsPerEpoch} and its batch in that epoch's order {@code step %
   * stepsPerEpoch}.
   */
  private final class Loop {
    private final BertForPreTraining model;
    private final AdamW optimizer;
    private final NDManager manager;
    private final BatchBuilder train;
    private final Evaluator evaluator;
    private final OneCycleSchedule schedule;
    private final MetricsLog log;
    private final int stepsPerEpoch;
    private final String title;
    private final ParameterStore ps;
    private final PreTrainingLoss lossFunction = new PreTrainingLoss();

    /** Steps done, skipped ones included; also the index of the next step in the schedule. */
    private long step;

    /** Training seconds of the whole run (a resumed run continues the count). */
    private double elapsedS;

    private long skippedSteps;

    /** Skipped steps in a row; {@code maxBadSteps} of them stop the run. */
    private int consecutiveBadSteps;

    /** The train figures since the last train line. */
    private final TrainWindow window = new TrainWindow(options.objective().trainsNsp());

    /** The last completed step's loss, for the progress bar. */
    private double lastTrainLoss = Double.NaN;

    Loop(
        BertForPreTraining model,
        AdamW optimizer,
        NDManager manager,
        BatchBuilder train,
        Evaluator evaluator,
        OneCycleSchedule schedule,
        MetricsLog log,
        int stepsPerEpoch,
        Checkpoint.State state,
        String title) {
      this.model = model;
      this.optimizer = optimizer;
      this.manager = manager;
      this.train = train;
      this.evaluator = evaluator;
      this.schedule = schedule;
      this.log = log;
      this.stepsPerEpoch = stepsPerEpoch;
      this.title = title;
      this.ps = new ParameterStore(manager, false);
      this.step = state.step();
      this.elapsedS = state.elapsedS();
      this.skippedSteps = state.skippedSteps();
    }

    Summary run(long numParameters, long stopStep, Instant deadline)
        throws IOException, InterruptedException {
      long totalSteps = schedule.totalSteps();
      long endStep =
          Math.min(
              totalSteps, stopStep); // this session's last step, unless the deadline comes first
      try (ProgressBar bar = Progress.bar("train " + title, totalSteps, "steps")) {
        bar.stepTo(step);
        // slice by slice; after each: validate when an epoch or the run is complete or time is up,
        // then checkpoint
        // and redraw the plots, so that every stop, mid-epoch too, leaves a checkpoint to resume
        // from
        while (step < endStep) {
          Slice slice = Slice.starting(step, endStep, stepsPerEpoch);
          boolean timeUp = trainSlice(slice, totalSteps, deadline, bar);
          if (timeUp) {
            endStep = step;
            if (window.steps() > 0) {
              logTrain(slice.epoch());
            }
          }
          if (step % stepsPerEpoch == 0 || step == totalSteps || timeUp) {
            validate(slice.epoch());
          }
          checkpoint();
          log.writeCsv();
          TrainingPlots.write(runDir, log.records(), title);
        }
      }
      return summarize(log.records(), step, skippedSteps, numParameters, evaluator);
    }

    /**
     * Trains the steps of {@code slice}, with the train lines, validations and checkpoints that
     * fall inside it (those of an epoch's or the run's last step, but its train line, are the
     * caller's). Returns true when the deadline has passed: the slice then ends after the step that
     * passed it.
     */
    private boolean trainSlice(Slice slice, long totalSteps, Instant deadline, ProgressBar bar)
        throws IOException, InterruptedException {
      int[] order = train.order(slice.epoch());
      int batchSize = options.batchSize();
      try (BatchPrefetcher batches =
          new BatchPrefetcher(
              slice.from(),
              slice.to(),
              b -> {
                int from = b * batchSize;
                return train.build(
                    Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)),
                    slice.epoch());
              })) {
        for (PretrainingBatch batch; (batch = batches.next()) != null; ) {
          trainStep(batch);
          bar.step();
          bar.setExtraMessage(
              String.format(" loss %.3f, %.0f seq/s", lastTrainLoss, window.sequencesPerSecond()));
          boolean lastOfEpoch = step % stepsPerEpoch == 0 || step == totalSteps;
          if (window.steps() > 0 && (step % options.logEvery() == 0 || lastOfEpoch)) {
            logTrain(slice.epoch());
          }
          if (!lastOfEpoch && every(options.evalEvery())) {
            validate(slice.epoch());
          }
          if (!lastOfEpoch && every(options.checkpointEvery())) {
            checkpoint();
          }
          if (deadline != null && Instant.now().isAfter(deadline)) {
            LOG.info("time budget spent after {} steps", step);
            return true;
          }
        }
      }
      return false;
    }

    /** Whether the step just done is a multiple of {@code n}; never for 0 ("off"). */
    private boolean every(int n) {
      return n > 0 && step % n == 0;
    }

    private void trainStep(PretrainingBatch batch) {
      long started = System.nanoTime();
      double lr = schedule.learningRate(step);
      // dropout depends on (seed, step) only, so a resumed run draws what the uninterrupted one
      // drew
      Engine.getInstance().setRandomSeed((int) (options.seed() * 1_000_003L + step));
      try (NDManager scope = manager.newSubManager()) {
        BatchTensors t = BatchTensors.of(scope, batch);
        PreTrainingLoss.Output out;
        float loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDList predictions =
              model.forward(
                  ps, t.inputIds(), t.tokenTypeIds(), t.attentionMask(), t.maskedPositions(), true);
          out = lossFunction.compute(t.labels(), predictions);
          NDArray objective = options.objective().trainsNsp() ? out.total() : out.mlm();
          loss = objective.getFloat();
          if (Float.isFinite(loss)) {
            collector.backward(objective);
          }
        }
        double norm = Float.isFinite(loss) ? optimizer.gradientNorm() : Double.NaN;
        if (!Double.isFinite(norm)) {
          skip(loss, norm);
          optimizer.zeroGradients(); // a completed step zeroes them itself
        } else {
          consecutiveBadSteps = 0;
          optimizer.step(lr, Math.min(1, options.clipNorm() / (norm + 1e-6)));
          window.addStep(loss, out, batch.batchSize());
          lastTrainLoss = loss;
        }
      }
      step++;
      double took = (System.nanoTime() - started) / 1e9;
      window.addSeconds(took);
      elapsedS += took;
    }

    private void skip(float loss, double norm) {
      skippedSteps++;
      consecutiveBadSteps++;
      LOG.warn(
          "step {} skipped: {} (loss {}, gradient norm {})",
          step + 1,
          Float.isFinite(loss) ? "non-finite gradient" : "non-finite loss",
          loss,
          norm);
      if (consecutiveBadSteps >= options.maxBadSteps()) {
        throw new IllegalStateException(
            consecutiveBadSteps
                + " steps in a row had a non-finite loss or gradient (last at step "
                + (step + 1)
                + ", learning rate "
                + schedule.learningRate(step)
                + "): the run diverged; lower --max-lr and start again");
      }
    }

    /**
     * A train line for the window, which then starts again; {@code epoch} is that of the steps in
     * it.
     */
    private void logTrain(int epoch) {
      log.append(window.line(step, epoch, schedule.learningRate(step - 1), elapsedS));
      window.reset();
    }

    /** A validation line; {@code epoch} is that of the step just done. */
    private void validate(int epoch) {
      if (evaluator.isEmpty()) {
        return;
      }
      Evaluator.Result r = evaluator.evaluate(model, ps, manager);
      log.append(
          new MetricsRecord(
              MetricsRecord.VAL,
              step,
              epoch,
              r.loss(),
              r.mlmLoss(),
              r.nspLoss(),
              r.mlmAccuracy(),
              r.nspAccuracy(),
              schedule.learningRate(Math.max(0, step - 1)),
              0,
              elapsedS));
      LOG.info(
          "step {} validation: loss {} (MLM {} acc {}, NSP {} acc {})",
          step,
          fmt(r.loss()),
          fmt(r.mlmLoss()),
          fmt(r.mlmAccuracy()),
          fmt(r.nspLoss()),
          fmt(r.nspAccuracy()));
    }

    /** A checkpoint of where the run stands; its epoch is the next step's. */
    private void checkpoint() throws IOException {
      Checkpoint.save(
          runDir,
          model,
          optimizer,
          new Checkpoint.State(step, (int) (step / stepsPerEpoch), elapsedS, skippedSteps));
    }
  }

  private static String fmt(double v) {
    return String.format("%.4f", v);
  }
}
