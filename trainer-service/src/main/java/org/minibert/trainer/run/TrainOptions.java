package org.minibert.trainer.run;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.minibert.core.io.Json;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Everything that defines a training run. Stored in {@code RUN/config.json}; a resumed run reads
 * them back from there, so the schedule and data order cannot drift from the run's start.
 *
 * <p>Each option is declared once, as a field below: its command-line name, its default (the
 * field's initial value) and its help text. {@code train} takes these fields as they are (a picocli
 * mixin), {@code config.json} is written from them, and the sweep, the demo, the benchmarks and the
 * tests start from {@link #defaults()} and state only what they change ({@code
 * TrainOptions.builder().data(dir).maxSteps(200).build()}). The accessors and the builder's setters
 * below them carry no defaults.
 *
 * <p>Instances handed out by {@link #defaults()}, {@link Builder#build()} and {@link
 * RunConfig#read} are not changed afterwards: the builder works on its own copy.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE)
public final class TrainOptions {
  /** The prepared data set folder. */
  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Prepared data set (bin/minibert prepare).")
  private Path data;

  /**
   * A shipped model config name or a config file (the default is the reference experiment's best
   * shape at about 1.4M parameters).
   */
  @Option(
      names = "--config",
      paramLabel = "NAME-or-FILE",
      description =
          "Model config: deep-6L-96D, standard-2L-128D, shallow-1L-144D, or a JSON file (default:"
              + " ${DEFAULT-VALUE}).")
  private String config = "deep-6L-96D";

  /** Passes over the training instances. */
  @Option(
      names = "--epochs",
      description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  private int epochs = 10;

  /** Stop after this many steps (0 = no limit beyond the epochs). */
  @Option(
      names = "--max-steps",
      description = "Stop after this many steps; 0 = run all epochs (default: ${DEFAULT-VALUE}).")
  private long maxSteps = 0;

  /** Sequences per step. */
  @Option(names = "--batch-size", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  private int batchSize = 16;

  /**
   * Peak learning rate of the one-cycle schedule (1.5e-3 and above diverged in the reference
   * experiment).
   */
  @Option(
      names = "--max-lr",
      description = "Peak learning rate of the one-cycle schedule (default: ${DEFAULT-VALUE}).")
  private double maxLr = 1e-3;

  /**
   * Seeds instance generation, masking, data order, initialisation and dropout (not the validation
   * set, which is the data set's).
   */
  @Option(
      names = "--seed",
      description =
          "Seed of pairs, masks, data order, initialisation and dropout (default:"
              + " ${DEFAULT-VALUE}).")
  private long seed = 42;

  /** Steps between validations besides the one at each epoch end (0 = epoch ends only). */
  @Option(
      names = "--eval-every",
      description =
          "Also validate every N steps; 0 = at epoch ends only (default: ${DEFAULT-VALUE}).")
  private int evalEvery = 0;

  /** Validation instances used per evaluation (a fixed subset; 0 = all). */
  @Option(
      names = "--eval-instances",
      description =
          "Validation instances per evaluation, a fixed subset; 0 = all (default:"
              + " ${DEFAULT-VALUE}).")
  private int evalInstances = 2000;

  /** Steps between train lines in metrics.jsonl. */
  @Option(
      names = "--log-every",
      description = "Steps per train line in metrics.jsonl (default: ${DEFAULT-VALUE}).")
  private int logEvery = 50;

  /** Steps between checkpoints besides the one at each epoch end (0 = epoch ends only). */
  @Option(
      names = "--checkpoint-every",
      description =
          "Also checkpoint every N steps; 0 = at epoch ends only (default: ${DEFAULT-VALUE}).")
  private int checkpointEvery = 1000;

  /**
   * Mask all pieces of a word together instead of single pieces. Off by default, as in
   * google-research/bert: at the reference recipe, single-piece training filled held-out words best
   * (bench/out/masking.md).
   */
  // picocli sets a negatable switch to the opposite of its default when given by its declared name
  // and back to the default by the other one: a switch that is off by default is declared by its
  // positive name, one that is on by its "--no-" name, so that each spelling means what it says
  @Option(
      names = "--whole-word-masking",
      negatable = true,
      description =
          "Mask every piece of a word together (default: ${DEFAULT-VALUE}, single pieces as in"
              + " BERT).")
  private boolean wholeWordMasking = false;

  /** The same pairs and masks every epoch instead of new ones. */
  @Option(
      names = "--static-masking",
      description = "Use the same pairs and masks every epoch (default: new ones each epoch).")
  private boolean staticMasking;

  /**
   * With whole-word masking, the share of masked multi-piece words whose last piece (a Korean
   * particle or ending) stays visible, as in a cloze question ("수도는 [MASK]이다").
   */
  @Option(
      names = "--keep-word-ending",
      paramLabel = "P",
      description =
          "With whole-word masking, the share of masked multi-piece words whose last piece (a"
              + " particle or ending) stays visible (default: ${DEFAULT-VALUE}).")
  private double keepWordEnding = 0;

  /**
   * What the loss trains: BERT's masked LM plus next-sentence prediction, or masked LM alone (the
   * modern small-BERT recipes: Cramming, MosaicBERT).
   */
  @Option(
      names = "--objective",
      converter = ObjectiveConverter.class,
      paramLabel = "mlm+nsp|mlm",
      description =
          "What pre-training optimises: BERT's masked LM + next-sentence prediction, or masked LM"
              + " alone (default: ${DEFAULT-VALUE}).")
  private Objective objective = Objective.MLM_NSP;

  /**
   * Share of the tokens masked in training (BERT 0.15; MosaicBERT 0.3); validation always masks
   * 0.15, so figures compare across recipes.
   */
  @Option(
      names = "--mask-rate",
      description =
          "Share of the tokens masked in training; validation always masks 0.15 (default:"
              + " ${DEFAULT-VALUE}).")
  private double maskRate = 0.15;

  /** Overrides the config's hidden dropout, or null to keep it. */
  @Option(
      names = "--hidden-dropout",
      paramLabel = "P",
      description = "Override the config's hidden dropout (e.g. 0 for the no-dropout recipes).")
  private Double hiddenDropout;

  /** Overrides the config's attention dropout, or null to keep it. */
  @Option(
      names = "--attention-dropout",
      paramLabel = "P",
      description = "Override the config's attention dropout.")
  private Double attentionDropout;

  /** AdamW decoupled weight decay, BERT's (not applied to biases and LayerNorm). */
  @Option(names = "--weight-decay", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  private double weightDecay = 0.01;

  /** Clip gradients to this global L2 norm. */
  @Option(
      names = "--clip-norm",
      description = "Clip gradients to this global norm (default: ${DEFAULT-VALUE}).")
  private double clipNorm = 1.0;

  /** Stop the run after this many consecutive steps with a non-finite loss or gradient. */
  @Option(
      names = "--max-bad-steps",
      description =
          "Stop after this many consecutive non-finite steps (default: ${DEFAULT-VALUE}).")
  private int maxBadSteps = 10;

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

  /** Parses {@code mlm+nsp} and {@code mlm} on the command line. */
  static final class ObjectiveConverter implements ITypeConverter<Objective> {
    @Override
    public Objective convert(String value) {
      return Objective.parse(value);
    }
  }

  private static final TrainOptions DEFAULTS = new TrainOptions();

  /** The declared defaults; also what picocli and Jackson instantiate before filling in. */
  private TrainOptions() {}

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
    return new Builder(copy());
  }

  private TrainOptions copy() {
    return Json.MAPPER.convertValue(this, TrainOptions.class);
  }

  /**
   * Throws {@link IllegalArgumentException} naming the option that is out of range.
   *
   * @return these options
   */
  public TrainOptions checked() {
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
    return this;
  }

  private JsonNode asJson() {
    return Json.MAPPER.valueToTree(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TrainOptions o && asJson().equals(o.asJson());
  }

  @Override
  public int hashCode() {
    return asJson().hashCode();
  }

  @Override
  public String toString() {
    return "TrainOptions" + asJson();
  }

  public Path data() {
    return data;
  }

  public String config() {
    return config;
  }

  public int epochs() {
    return epochs;
  }

  public long maxSteps() {
    return maxSteps;
  }

  public int batchSize() {
    return batchSize;
  }

  public double maxLr() {
    return maxLr;
  }

  public long seed() {
    return seed;
  }

  public int evalEvery() {
    return evalEvery;
  }

  public int evalInstances() {
    return evalInstances;
  }

  public int logEvery() {
    return logEvery;
  }

  public int checkpointEvery() {
    return checkpointEvery;
  }

  public boolean wholeWordMasking() {
    return wholeWordMasking;
  }

  public boolean staticMasking() {
    return staticMasking;
  }

  public double keepWordEnding() {
    return keepWordEnding;
  }

  public Objective objective() {
    return objective;
  }

  public double maskRate() {
    return maskRate;
  }

  public Double hiddenDropout() {
    return hiddenDropout;
  }

  public Double attentionDropout() {
    return attentionDropout;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double clipNorm() {
    return clipNorm;
  }

  public int maxBadSteps() {
    return maxBadSteps;
  }

  /** Options changed one at a time; {@link #build()} checks them all. */
  public static final class Builder {
    private final TrainOptions options;

    private Builder(TrainOptions options) {
      this.options = options;
    }

    public Builder data(Path data) {
      options.data = data;
      return this;
    }

    public Builder config(String config) {
      options.config = config;
      return this;
    }

    public Builder epochs(int epochs) {
      options.epochs = epochs;
      return this;
    }

    public Builder maxSteps(long maxSteps) {
      options.maxSteps = maxSteps;
      return this;
    }

    public Builder batchSize(int batchSize) {
      options.batchSize = batchSize;
      return this;
    }

    public Builder maxLr(double maxLr) {
      options.maxLr = maxLr;
      return this;
    }

    public Builder seed(long seed) {
      options.seed = seed;
      return this;
    }

    public Builder evalEvery(int evalEvery) {
      options.evalEvery = evalEvery;
      return this;
    }

    public Builder evalInstances(int evalInstances) {
      options.evalInstances = evalInstances;
      return this;
    }

    public Builder logEvery(int logEvery) {
      options.logEvery = logEvery;
      return this;
    }

    public Builder checkpointEvery(int checkpointEvery) {
      options.checkpointEvery = checkpointEvery;
      return this;
    }

    public Builder wholeWordMasking(boolean wholeWordMasking) {
      options.wholeWordMasking = wholeWordMasking;
      return this;
    }

    public Builder staticMasking(boolean staticMasking) {
      options.staticMasking = staticMasking;
      return this;
    }

    public Builder keepWordEnding(double keepWordEnding) {
      options.keepWordEnding = keepWordEnding;
      return this;
    }

    public Builder objective(Objective objective) {
      options.objective = objective;
      return this;
    }

    public Builder maskRate(double maskRate) {
      options.maskRate = maskRate;
      return this;
    }

    /** Null keeps the config's. */
    public Builder hiddenDropout(Double hiddenDropout) {
      options.hiddenDropout = hiddenDropout;
      return this;
    }

    /** Null keeps the config's. */
    public Builder attentionDropout(Double attentionDropout) {
      options.attentionDropout = attentionDropout;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      options.weightDecay = weightDecay;
      return this;
    }

    public Builder clipNorm(double clipNorm) {
      options.clipNorm = clipNorm;
      return this;
    }

    public Builder maxBadSteps(int maxBadSteps) {
      options.maxBadSteps = maxBadSteps;
      return this;
    }

    /**
     * The options; throws {@link IllegalArgumentException} naming the option that is out of range.
     */
    public TrainOptions build() {
      return options.copy().checked();
    }
  }
}
