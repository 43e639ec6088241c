package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.minibert.core.io.FileDigest;
import org.minibert.core.store.ObjectStore;

/** Publish, promote, list and fetch on any store: the path every store must support end to end. */
public final class RepositoryRoundTrip {
  private RepositoryRoundTrip() {}

  /**
   * Writes a version folder like the exporter's, with a model file of {@code modelBytes} random
   * bytes.
   */
  public static Path versionFolder(Path dir, int modelBytes, long seed) throws IOException {
    Files.createDirectories(dir);
    byte[] model = new byte[modelBytes];
    new Random(seed).nextBytes(model);
    Files.write(dir.resolve(ModelLayout.MODEL_ONNX), model);
    Files.writeString(
        dir.resolve(ModelLayout.TOKENIZER_JSON),
        "{\"model\": {\"type\": \"WordPiece\"}, \"seed\": " + seed + "}");
    Files.writeString(
        dir.resolve(ModelLayout.CONFIG_JSON), "{\"model_type\": \"bert\", \"vocab_size\": 8000}");
    Files.writeString(dir.resolve(ModelLayout.METRICS_JSON), "{\"val_loss\": 4.2}");
    return dir;
  }

  public static VersionDetails details(Double validationLoss) {
    return details(validationLoss, null);
  }

  /**
   * @param heldOutText the held-out text score, or null for none
   */
  public static VersionDetails details(Double validationLoss, Manifest.HeldOutText heldOutText) {
    return new VersionDetails(
        new Manifest.Parity(1e-5, 1e-3, 4),
        new Manifest.Source("runs/r1", 1200, "abc123"),
        validationLoss,
        heldOutText);
  }

  public static void check(ObjectStore store, Path tmp, int modelBytes) throws IOException {
    ModelRepository repo = new ModelRepository(store, "kobert-mini");
    Path first = versionFolder(tmp.resolve("export-1"), modelBytes, 1);
    Path second = versionFolder(tmp.resolve("export-2"), modelBytes, 2);

    PublishResult a = repo.publish(first, details(4.29), Promotion.IF_BETTER);
    PublishResult b = repo.publish(second, details(4.40), Promotion.IF_BETTER);

    assertThat(a.promoted()).isTrue();
    assertThat(b.promoted()).isFalse();
    assertThat(b.reason())
        .isEqualTo(
            "kept LATEST at " + a.version() + ": validation loss 4.4 is not better than 4.29");
    assertThat(repo.latest()).contains(a.version());
    assertThat(repo.versions())
        .extracting(
            VersionInfo::id,
            VersionInfo::complete,
            VersionInfo::latest,
            VersionInfo::validationLoss)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(a.version(), true, true, 4.29),
            org.assertj.core.groups.Tuple.tuple(b.version(), true, false, 4.40));
    assertThat(repo.manifest(b.version())).isEqualTo(b.manifest());
    assertThat(b.manifest().files())
        .extracting(FileDigest::path)
        .containsExactly("config.json", "metrics.json", "model.onnx", "tokenizer.json");

    Path fetched = repo.fetch(b.version(), tmp.resolve("cache"));
    assertThat(fetched).isEqualTo(tmp.resolve("cache/kobert-mini").resolve(b.version()));
    for (String name :
        new String[] {"model.onnx", "tokenizer.json", "config.json", "metrics.json"}) {
      assertThat(fetched.resolve(name)).hasSameBinaryContentAs(second.resolve(name));
    }
    assertThat(fetched.resolve(ModelLayout.MANIFEST_JSON)).exists();
  }
}
