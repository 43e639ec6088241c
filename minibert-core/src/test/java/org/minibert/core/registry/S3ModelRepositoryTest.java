package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.store.S3ObjectStore;
import org.minibert.core.store.S3ProxyServer;

class S3ModelRepositoryTest {
  @TempDir Path tmp;

  @Test
  void roundTripOnS3WithAModelLargeEnoughForAMultipartUpload() throws IOException {
    long partSize = S3ObjectStore.MIN_PART_SIZE;
    try (S3ObjectStore store =
        new S3ObjectStore(S3ProxyServer.settings().withMultipart(partSize, partSize))) {
      RepositoryRoundTrip.check(store, tmp, (int) (partSize + partSize / 5)); // ~6 MB: two parts
    }
  }

  @Test
  void aFetchStopsAtTheDeclaredSizeOnS3() throws IOException {
    try (S3ObjectStore store = new S3ObjectStore(S3ProxyServer.settings())) {
      store.ensureBucket();
      ModelRepository repo = new ModelRepository(store, "oversized");
      PublishResult published =
          repo.publish(
              RepositoryRoundTrip.versionFolder(tmp.resolve("export"), 1000, 1),
              RepositoryRoundTrip.details(4.0),
              Promotion.ALWAYS);
      String key = "oversized/versions/" + published.version() + "/model.onnx";
      store.putBytes(key, new byte[12 << 20]); // a store that sends far more than declared
      assertThatThrownBy(() -> repo.fetch(published.version(), tmp.resolve("cache")))
          .isInstanceOf(VersionIntegrityException.class)
          .hasMessageContaining("more than the 1000 bytes the manifest declares");
    }
  }
}
