package org.minibert.inference.store;

import java.util.function.Predicate;
import org.minibert.core.io.FileDigest;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;

/**
 * The files of a published version the service reads, so that it downloads, verifies, caches and
 * budgets memory for those only: every listed file but the Hugging Face weights ({@code
 * model.safetensors}, for transformers users) and, when the version has the serving graph, {@code
 * model.onnx} (the layout for transformers.js and Optimum, which the service does not run then).
 */
public final class ServingFiles {
  private ServingFiles() {}

  /** Which of {@code manifest}'s files (by path) the service needs. */
  public static Predicate<String> of(Manifest manifest) {
    boolean servingGraph =
        manifest.files().stream()
            .map(FileDigest::path)
            .anyMatch(ModelLayout.MODEL_SERVING_ONNX::equals);
    return path ->
        !path.equals(ModelLayout.MODEL_SAFETENSORS)
            && !(servingGraph && path.equals(ModelLayout.MODEL_ONNX));
  }
}
