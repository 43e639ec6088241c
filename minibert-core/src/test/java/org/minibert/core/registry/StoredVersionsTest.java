package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.StoreException;

/** Reading a store: versions, LATEST, manifests. */
class StoredVersionsTest extends RegistryFixture {
  @Test
  void versionsExplainsWhatIsWrongWithEachIncompleteVersion() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult truncated = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    PublishResult missing = publish(repo, 2, 4.0, Promotion.IF_BETTER);
    PublishResult garbled = publish(repo, 3, 4.0, Promotion.IF_BETTER);
    local.putBytes("kobert/versions/" + truncated.version() + "/model.onnx", new byte[10]);
    local.delete("kobert/versions/" + missing.version() + "/config.json");
    local.putBytes(
        "kobert/versions/" + garbled.version() + "/manifest.json", "{not json".getBytes(UTF_8));

    assertThat(repo.versions())
        .extracting(VersionInfo::problem)
        .containsExactly(
            "model.onnx has 10 bytes, not 2048",
            "config.json is missing",
            "unreadable manifest.json");
  }

  @Test
  void anEmptyStoreHasNoVersionsAndTheManifestOfAMissingVersionIsAClearError() throws IOException {
    ModelRepository repo = repo(local());
    assertThat(repo.latest()).isEmpty();
    assertThat(repo.versions()).isEmpty();
    assertThatThrownBy(() -> repo.manifest("20261126T120000Z-abcdef"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 20261126T120000Z-abcdef of kobert is missing or incomplete");
  }
}
