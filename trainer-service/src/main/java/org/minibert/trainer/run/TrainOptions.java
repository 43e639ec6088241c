package org.minibert.trainer.run;

import java.nio.file.Path;

/**
 * Everything that defines a training run. Stored in {@code RUN/config.json}; a resumed run reads
 * them back from there, so the schedule and data order cannot drift from the run's start.
 *
 * <p>{@link #defaults()} is the one place the defaults live: the command line shows and uses them,
 * and the sweep, the demo, the benchmark and the tests state only what they change ({@code
 * TrainOptions.builder().data(dir) .maxSteps(200).build()}).
 *
 * @param data the prepared data set folder
 * @param config a shipped model config name or a config file
 * @param epochs passes over the training instances
 * @param maxSteps stop after this many steps (0 = no limit beyond the epochs)
 * @param batchSize sequences per step
 * @param maxLr peak learning rate of the one-cycle schedule
 * @param weightDecay AdamW decoupled weight decay (not applied to biases and LayerNorm)
 * @param clipNorm clip gradients to this global L2 norm
 * @param seed seeds instance generation, masking, data order, initialisation and dropout
 * @param logEvery steps between train lines in metrics.jsonl
 * @param evalEvery steps between validations besides the one at each epoch end (0 = epoch ends
 *     only)
 * @param evalInstances validation instances used per evaluation (a fixed subset; 0 = all)
 * @param checkpointEvery steps between checkpoints besides the one at each epoch end (0 = epoch
 *     ends only)
 * @param maxBadSteps stop the run after this many consecutive steps with a non-finite loss or
 *     gradient
 * @param wholeWordMasking mask all pieces of a word together (the default: with jamo pieces, one
 *     masked piece beside its visible neighbours is nearly free to predict)
 * @param staticMasking the same pairs and masks every epoch instead of new ones
 * @param objective what the loss trains: BERT's masked LM plus next-sentence prediction, or masked
 *     LM alone (the modern small-BERT recipes: Cramming, MosaicBERT)
 * @param maskRate share of the tokens masked in training (BERT 0.15; MosaicBERT 0.3); validation
 *     always masks 0.15, so figures compare across recipes
 * @param hiddenDropout overrides the config's hidden dropout, or null to keep it (the recipes
 *     without dropout set 0)
 * @param attentionDropout overrides the config's attention dropout, or null to keep it
 * @param keepWordEnding with whole-word masking, the share of masked multi-piece words whose last
 *     piece (a Korean particle or ending) stays visible, as in a cloze question ("수도는 [MASK]이다")
 */
public record TrainOptions(
    Path data,
    String config,
    int epochs,
    long maxSteps,
    int batchSize,
    double maxLr,
    double weightDecay,
    double clipNorm,
    long seed,
    int logEvery,
    int evalEvery,
    int evalInstances,
    int checkpointEvery,
    int maxBadSteps,
    boolean wholeWordMasking,
    boolean staticMasking,
    Objective objective,
    double maskRate,
    Double hiddenDropout,
    Double attentionDropout,
    double keepWordEnding) {

  /** What pre-training optimises. */
  public enum Objective {
    /** BERT's: masked LM + next-sentence prediction. */
    MLM_NSP("mlm+nsp"),
    /**
     * Masked LM alone; the NSP head stays untrained (the service's /nsp then answers at chance).
     */
    MLM("mlm");

    private final String label;

    Objective(String label) {
      this.label = label;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
      return label;
    }

    /** {@code mlm+nsp} or {@code mlm}. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Objective parse(String text) {
      for (Objective o : values()) {
        if (o.label.equals(text)) {
          return o;
        }
      }
      throw new IllegalArgumentException("objective must be mlm+nsp or mlm, got '" + text + "'");
    }

    public boolean trainsNsp() {
      return this == MLM_NSP;
    }
  }

  private static final TrainOptions DEFAULTS =
      new TrainOptions(
          null, // no default data set: --data is required
          "deep-6L-96D", // the reference experiment's best shape at ~1.4M parameters
          10,
          0,
          16,
          1e-3, // 1.5e-3 and above diverged in the reference experiment
          0.01, // BERT's
          1.0,
          42,
          50,
          0,
          2000,
          1000,
          10,
          true, // whole-word masking: BERT's later default, and the honest one for jamo pieces
          false,
          Objective.MLM_NSP, // the reference experiment's recipe
          0.15,
          null,
          null,
          0.5); // keepWordEnding: half the masked multi-piece words show their ending

  public TrainOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException("--max-steps must not be negative, got " + maxSteps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
      throw new IllegalArgumentException("--max-lr must be a positive number, got " + maxLr);
    }
    if (weightDecay < 0 || clipNorm <= 0) {
      throw new IllegalArgumentException("weight decay must be >= 0 and the clipping norm > 0");
    }
    if (objective == null) {
      objective = Objective.MLM_NSP;
    }
    if (!(keepWordEnding >= 0 && keepWordEnding <= 1)) {
      throw new IllegalArgumentException(
          "--keep-word-ending must be in [0, 1], got " + keepWordEnding);
    }
    if (!(maskRate > 0 && maskRate < 1)) {
      throw new IllegalArgumentException("--mask-rate must be in (0, 1), got " + maskRate);
    }
    for (Double dropout : new Double[] {hiddenDropout, attentionDropout}) {
      if (dropout != null && !(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("a dropout override must be in [0, 1), got " + dropout);
      }
    }
    if (logEvery < 1
        || evalEvery < 0
        || evalInstances < 0
        || checkpointEvery < 0
        || maxBadSteps < 1) {
      throw new IllegalArgumentException(
          "--log-every and --max-bad-steps must be >= 1; --eval-every, --eval-instances and"
              + " --checkpoint-every >= 0");
    }
  }

  /** The defaults of every option; {@code data} is null (there is no default data set). */
  public static TrainOptions defaults() {
    return DEFAULTS;
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Options changed one at a time; {@link #build()} checks them all. */
  public static final class Builder {
    private Path data;
    private String config;
    private int epochs;
    private long maxSteps;
    private int batchSize;
    private double maxLr;
    private double weightDecay;
    private double clipNorm;
    private long seed;
    private int logEvery;
    private int evalEvery;
    private int evalInstances;
    private int checkpointEvery;
    private int maxBadSteps;
    private boolean wholeWordMasking;
    private boolean staticMasking;
    private Objective objective;
    private double maskRate;
    private Double hiddenDropout;
    private Double attentionDropout;
    private double keepWordEnding;

    private Builder(TrainOptions o) {
      data = o.data;
      config = o.config;
      epochs = o.epochs;
      maxSteps = o.maxSteps;
      batchSize = o.batchSize;
      maxLr = o.maxLr;
      weightDecay = o.weightDecay;
      clipNorm = o.clipNorm;
      seed = o.seed;
      logEvery = o.logEvery;
      evalEvery = o.evalEvery;
      evalInstances = o.evalInstances;
      checkpointEvery = o.checkpointEvery;
      maxBadSteps = o.maxBadSteps;
      wholeWordMasking = o.wholeWordMasking;
      staticMasking = o.staticMasking;
      objective = o.objective;
      maskRate = o.maskRate;
      hiddenDropout = o.hiddenDropout;
      attentionDropout = o.attentionDropout;
      keepWordEnding = o.keepWordEnding;
    }

    public Builder data(Path data) {
      this.data = data;
      return this;
    }

    public Builder config(String config) {
      this.config = config;
      return this;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder maxSteps(long maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder maxLr(double maxLr) {
      this.maxLr = maxLr;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder clipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder logEvery(int logEvery) {
      this.logEvery = logEvery;
      return this;
    }

    public Builder evalEvery(int evalEvery) {
      this.evalEvery = evalEvery;
      return this;
    }

    public Builder evalInstances(int evalInstances) {
      this.evalInstances = evalInstances;
      return this;
    }

    public Builder checkpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
      return this;
    }

    public Builder maxBadSteps(int maxBadSteps) {
      this.maxBadSteps = maxBadSteps;
      return this;
    }

    public Builder wholeWordMasking(boolean wholeWordMasking) {
      this.wholeWordMasking = wholeWordMasking;
      return this;
    }

    public Builder staticMasking(boolean staticMasking) {
      this.staticMasking = staticMasking;
      return this;
    }

    public Builder objective(Objective objective) {
      this.objective = objective;
      return this;
    }

    public Builder maskRate(double maskRate) {
      this.maskRate = maskRate;
      return this;
    }

    /** Null keeps the config's. */
    public Builder hiddenDropout(Double hiddenDropout) {
      this.hiddenDropout = hiddenDropout;
      return this;
    }

    /** Null keeps the config's. */
    public Builder attentionDropout(Double attentionDropout) {
      this.attentionDropout = attentionDropout;
      return this;
    }

    public Builder keepWordEnding(double keepWordEnding) {
      this.keepWordEnding = keepWordEnding;
      return this;
    }

    /**
     * The options; throws {@link IllegalArgumentException} naming the option that is out of range.
     */
    public TrainOptions build() {
      return new TrainOptions(
          data,
          config,
          epochs,
          maxSteps,
          batchSize,
          maxLr,
          weightDecay,
          clipNorm,
          seed,
          logEvery,
          evalEvery,
          evalInstances,
          checkpointEvery,
          maxBadSteps,
          wholeWordMasking,
          staticMasking,
          objective,
          maskRate,
          hiddenDropout,
          attentionDropout,
          keepWordEnding);
    }
  }
}
