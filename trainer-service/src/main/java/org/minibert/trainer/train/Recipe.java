package org.minibert.trainer.train;

import org.minibert.trainer.run.TrainOptions;

/**
 * Named pre-training recipes a sweep compares at a fixed budget: BERT's, and the choices of the
 * modern small-BERT recipes that train faster per FLOP (Cramming: masked LM only, no dropout;
 * MosaicBERT: also 30% masking). Each is nothing but a set of {@link TrainOptions}; validation
 * always masks 15%, so their figures compare.
 */
public enum Recipe {
  /** The reference: masked LM + next-sentence prediction, 15% masking, the config's dropout. */
  BERT("bert", TrainOptions.Objective.MLM_NSP, 0.15, null),
  /** Masked LM alone. */
  MLM("mlm", TrainOptions.Objective.MLM, 0.15, null),
  /** Cramming's: masked LM alone, no dropout during pre-training. */
  CRAMMING("cramming", TrainOptions.Objective.MLM, 0.15, 0.0),
  /** MosaicBERT's: masked LM alone, 30% masking, no dropout. */
  MOSAIC("mosaic", TrainOptions.Objective.MLM, 0.30, 0.0);

  private final String label;
  private final TrainOptions.Objective objective;
  private final double maskRate;
  private final Double dropout;

  Recipe(String label, TrainOptions.Objective objective, double maskRate, Double dropout) {
    this.label = label;
    this.objective = objective;
    this.maskRate = maskRate;
    this.dropout = dropout;
  }

  /** These options with the recipe's objective, mask rate and dropout. */
  public TrainOptions applyTo(TrainOptions options) {
    return options.toBuilder()
        .objective(objective)
        .maskRate(maskRate)
        .hiddenDropout(dropout)
        .attentionDropout(dropout)
        .build();
  }

  @Override
  public String toString() {
    return label;
  }

  /** By its label: bert, mlm, cramming or mosaic. */
  public static Recipe parse(String label) {
    for (Recipe r : values()) {
      if (r.label.equals(label)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown recipe '" + label + "': expected bert, mlm, cramming or mosaic");
  }
}
