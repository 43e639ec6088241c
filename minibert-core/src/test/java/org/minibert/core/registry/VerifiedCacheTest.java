package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.StoreException;

/** Local copies: verified on download, reused only while they still verify. */
class VerifiedCacheTest extends RegistryFixture {
  @Test
  void fetchRefusesAFileCorruptedInTheStoreAndLeavesNoCopy() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path stored =
        tmp.resolve("store/kobert/versions").resolve(published.version()).resolve("tokenizer.json");
    byte[] bytes = Files.readAllBytes(stored);
    bytes[0] ^= 1;
    Files.write(stored, bytes);

    Path cache = tmp.resolve("cache");
    assertThatThrownBy(() -> repo.fetch(published.version(), cache))
        .isInstanceOf(VersionIntegrityException.class)
        .hasMessageStartingWith(stored.toString() + ": checksum mismatch");
    assertThat(cache.resolve("kobert")).isEmptyDirectory();
  }

  @Test
  void fetchStopsReadingAtTheDeclaredSize() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path stored =
        tmp.resolve("store/kobert/versions").resolve(published.version()).resolve("model.onnx");
    Files.write(stored, new byte[8 << 20], java.nio.file.StandardOpenOption.APPEND);

    Path cache = tmp.resolve("cache");
    assertThatThrownBy(() -> repo.fetch(published.version(), cache))
        .isInstanceOf(VersionIntegrityException.class)
        .hasMessageContaining("the store has more than the")
        .hasMessageContaining("bytes the manifest declares");
    assertThat(cache.resolve("kobert")).isEmptyDirectory();
  }

  @Test
  void fetchFailsPastItsTimeLimit() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path cache = tmp.resolve("cache");
    assertThatThrownBy(() -> repo.fetch(published.version(), cache, java.time.Duration.ZERO))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(VersionIntegrityException.class)
        .hasMessageContaining("did not finish within its time limit");
    assertThat(repo.fetch(published.version(), cache, java.time.Duration.ofMinutes(1)))
        .isDirectory();
  }

  @Test
  void fetchReusesAVerifiedCopyAndRepairsADamagedOne() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path cache = tmp.resolve("cache");
    Path copy = repo.fetch(published.version(), cache);
    Path model = copy.resolve("model.onnx");
    long written = Files.getLastModifiedTime(model).toMillis();

    assertThat(repo.fetch(published.version(), cache)).isEqualTo(copy);
    assertThat(Files.getLastModifiedTime(model).toMillis()).isEqualTo(written);

    Files.writeString(model, "damaged");
    assertThat(repo.fetch(published.version(), cache)).isEqualTo(copy);
    assertThat(model).hasSameBinaryContentAs(tmp.resolve("export-1/model.onnx"));
  }

  @Test
  void aManifestListingAPathOutsideItsVersionIsRefused() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    String key = "kobert/versions/" + published.version() + "/manifest.json";
    String evil =
        new String(local.getBytes(key).orElseThrow(), UTF_8)
            .replace("\"config.json\"", "\"../../../evil\"");
    local.putBytes(key, evil.getBytes(UTF_8));

    assertThatThrownBy(() -> repo.fetch(published.version(), tmp.resolve("cache")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("lists an invalid path");
    assertThat(tmp.resolve("evil")).doesNotExist();
  }
}
