package org.minibert.core.registry;

import java.util.List;
import org.minibert.core.io.FileDigest;

/**
 * {@code <model>/versions/<version>/manifest.json}: the last file written for a version. A version without a
 * manifest whose checksums verify is incomplete and never served or promoted.
 *
 * @param formatVersion of this file's layout ({@link #FORMAT_VERSION})
 * @param model the model name
 * @param version the version id ({@link VersionId}: sorts by creation time)
 * @param createdAt ISO-8601 instant
 * @param files every other file of the version folder with its SHA-256 and size
 * @param parity how closely ONNX Runtime reproduced the trained model at export
 * @param source which run and checkpoint this version came from, and the project's git commit
 * @param validationLoss the held-out loss (MLM + NSP) of the checkpoint, which {@code --promote if-better}
 *     compares; null when unknown
 */
public record Manifest(
    int formatVersion,
    String model,
    String version,
    String createdAt,
    List<FileDigest> files,
    Parity parity,
    Source source,
    Double validationLoss) {

  public static final int FORMAT_VERSION = 1;

  public Manifest {
    files = List.copyOf(files);
  }

  /**
   * @param maxAbsDiff the largest absolute difference of either output between DJL and ONNX Runtime
   * @param tolerance the limit the export enforced
   * @param batches how many batches were compared
   */
  public record Parity(double maxAbsDiff, double tolerance, int batches) {}

  /**
   * @param run the training run folder
   * @param step the training step of the exported checkpoint
   * @param gitCommit the project's commit the exporter was built from, or "unknown"
   */
  public record Source(String run, long step, String gitCommit) {}
}
