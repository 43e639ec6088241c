package org.minibert.trainer.train;

import java.util.function.UnaryOperator;
import org.minibert.trainer.run.TrainOptions;

/**
 * Named pre-training recipes a sweep compares at a fixed budget: BERT's, and what of the modern
 * small-BERT recipes fits this model and trainer. Each is nothing but a set of {@link TrainOptions}
 * over the sweep's base options; the masked-LM-only ones train on contiguous text (one segment
 * filling the sequence, no pairs), as RoBERTa, Cramming and MosaicBERT do. What each takes from its
 * paper and what it leaves out: docs/recipes.md.
 */
public enum Recipe {
  /** The reference: masked LM + next-sentence prediction on pairs, 15% masking, dropout 0.1. */
  BERT("bert", b -> b.objective(TrainOptions.Objective.MLM_NSP).maskRate(0.15)),
  /** Masked LM alone on contiguous text (RoBERTa's objective), otherwise BERT's settings. */
  MLM("mlm", b -> b.objective(TrainOptions.Objective.MLM).maskRate(0.15)),
  /**
   * Cramming's training choices: masked LM alone, 25% masking, no dropout in pre-training,
   * gradients clipped to 0.5.
   */
  CRAMMING(
      "cramming",
      b ->
          b.objective(TrainOptions.Objective.MLM)
              .maskRate(0.25)
              .hiddenDropout(0.0)
              .attentionDropout(0.0)
              .clipNorm(0.5)),
  /**
   * MosaicBERT's: masked LM alone, 30% masking, hidden dropout kept at 0.1, attention dropout 0
   * (its FlashAttention has none).
   */
  MOSAIC(
      "mosaic",
      b ->
          b.objective(TrainOptions.Objective.MLM)
              .maskRate(0.30)
              .hiddenDropout(0.1)
              .attentionDropout(0.0));

  private final String label;
  private final UnaryOperator<TrainOptions.Builder> settings;

  Recipe(String label, UnaryOperator<TrainOptions.Builder> settings) {
    this.label = label;
    this.settings = settings;
  }

  /** These options with the recipe's settings. */
  public TrainOptions applyTo(TrainOptions options) {
    return settings.apply(options.toBuilder()).build();
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
