package org.minibert.core.registry;

import java.util.List;
import org.minibert.core.io.FileDigest;

/**
 * {@code <model>/versions/<version>/manifest.json}: the last file written for a version. A version
 * without a manifest whose checksums verify is incomplete and never served or promoted.
 *
 * @param formatVersion of this file's layout ({@link #FORMAT_VERSION})
 * @param model the model name
 * @param version the version id ({@link VersionId}: sorts by creation time)
 * @param createdAt ISO-8601 instant
 * @param files every other file of the version folder with its SHA-256 and size
 * @param parity how closely ONNX Runtime reproduced the trained model at export
 * @param source which run and checkpoint this version came from, and the project's git commit
 * @param validationLoss the held-out loss (MLM + NSP) of the checkpoint, which {@code --promote
 *     if-better} compares; null when unknown
 * @param heldOutText the score on held-out prose ({@code evaluate --text}), which {@code --promote
 *     if-better} compares before the validation loss when LATEST was scored on the same text; null
 *     when the run was not evaluated on a text (and in manifests written before this field existed)
 * @param graphs the ONNX graphs among {@code files} and what each is for ({@link
 *     OnnxContract#GRAPHS}); null in manifests written before this field existed (those hold {@code
 *     model.onnx} only)
 */
public record Manifest(
    int formatVersion,
    String model,
    String version,
    String createdAt,
    List<FileDigest> files,
    Parity parity,
    Source source,
    Double validationLoss,
    HeldOutText heldOutText,
    List<Graph> graphs) {

  public static final int FORMAT_VERSION = 1;

  public Manifest {
    files = List.copyOf(files);
    graphs = graphs == null ? null : List.copyOf(graphs);
  }

  /** A manifest that does not list its graphs. */
  public Manifest(
      int formatVersion,
      String model,
      String version,
      String createdAt,
      List<FileDigest> files,
      Parity parity,
      Source source,
      Double validationLoss,
      HeldOutText heldOutText) {
    this(
        formatVersion,
        model,
        version,
        createdAt,
        files,
        parity,
        source,
        validationLoss,
        heldOutText,
        null);
  }

  /** A manifest without a held-out text score. */
  public Manifest(
      int formatVersion,
      String model,
      String version,
      String createdAt,
      List<FileDigest> files,
      Parity parity,
      Source source,
      Double validationLoss) {
    this(
        formatVersion,
        model,
        version,
        createdAt,
        files,
        parity,
        source,
        validationLoss,
        (HeldOutText) null);
  }

  /**
   * One ONNX file of the version.
   *
   * @param file its name in the version folder
   * @param purpose who reads it and why
   * @param inputs its inputs, in order
   * @param outputs its outputs, in order
   */
  public record Graph(String file, String purpose, List<String> inputs, List<String> outputs) {
    public Graph {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  /** The graphs among these files, as {@link OnnxContract#GRAPHS} describes them. */
  public static List<Graph> graphsAmong(List<FileDigest> files) {
    return OnnxContract.GRAPHS.stream()
        .filter(g -> files.stream().anyMatch(f -> f.path().equals(g.file())))
        .toList();
  }

  /**
   * @param maxAbsDiff the largest absolute difference of any output of any graph between DJL and
   *     ONNX Runtime
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

  /**
   * Masked-piece prediction on held-out prose ({@code bin/minibert evaluate --text}). Scores
   * compare only when their {@code sha256} is the same: a loss on another text says nothing about
   * which model is better.
   *
   * @param sha256 of the text files' contents, in order
   * @param mlmLoss mean cross-entropy of the masked pieces; lower is better
   * @param top1 share of the masked pieces that were the model's first choice
   */
  public record HeldOutText(String sha256, double mlmLoss, double top1) {
    public HeldOutText {
      if (sha256 == null || sha256.isBlank()) {
        throw new IllegalArgumentException("a held-out text score needs the text's sha256");
      }
      if (!Double.isFinite(mlmLoss)) {
        throw new IllegalArgumentException(
            "held-out text loss must be a finite number, got " + mlmLoss);
      }
    }

    /** Whether {@code other} was measured on the same text. */
    public boolean sameText(HeldOutText other) {
      return other != null && sha256.equalsIgnoreCase(other.sha256);
    }
  }
}
