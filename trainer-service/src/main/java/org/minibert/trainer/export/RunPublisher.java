package org.minibert.trainer.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.minibert.core.io.FileTrees;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.PublishResult;
import org.minibert.core.registry.VersionDetails;

/**
 * Export and publish in one: a run's newest checkpoint becomes a verified version of a model in a
 * store.
 */
public final class RunPublisher {
  /** What was exported and what the registry decided. */
  public record Published(VersionFolderWriter.ExportedVersion exported, PublishResult result) {}

  private RunPublisher() {}

  /**
   * Writes the version folder in a scratch folder (parity-checked: a failing export publishes
   * nothing), publishes it with {@code promotion}, and removes the scratch folder.
   */
  public static Published publish(Path runDir, ModelRepository repository, Promotion promotion)
      throws IOException {
    Path staging = Files.createTempDirectory("minibert-export-");
    try {
      VersionFolderWriter.ExportedVersion exported =
          VersionFolderWriter.write(runDir, staging.resolve("version"));
      PublishResult result =
          repository.publish(
              exported.folder(),
              new VersionDetails(
                  exported.parity().toManifest(),
                  exported.source(),
                  exported.validationLoss(),
                  exported.heldOutText()),
              promotion);
      return new Published(exported, result);
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }
}
