package org.minibert.core.registry;

/**
 * What the exporter knows about a version it publishes; {@link ModelRepository#publish} adds the
 * rest of the {@link Manifest} (id, creation time, file list with checksums), so no caller can get
 * those wrong.
 *
 * @param parity how closely ONNX Runtime reproduced the trained model, or null when not checked
 * @param source which run and checkpoint the version came from, or null
 * @param validationLoss the held-out loss that {@link Promotion#IF_BETTER} compares, or null when
 *     unknown
 * @param heldOutText the score on held-out prose, which {@link Promotion#IF_BETTER} compares first
 *     when LATEST has one on the same text; null when the run was not evaluated on a text
 */
public record VersionDetails(
    Manifest.Parity parity,
    Manifest.Source source,
    Double validationLoss,
    Manifest.HeldOutText heldOutText) {
  public VersionDetails {
    if (validationLoss != null && !Double.isFinite(validationLoss)) {
      throw new IllegalArgumentException(
          "validation loss must be a finite number, got " + validationLoss);
    }
  }

  /** Details without a held-out text score. */
  public VersionDetails(Manifest.Parity parity, Manifest.Source source, Double validationLoss) {
    this(parity, source, validationLoss, null);
  }
}
