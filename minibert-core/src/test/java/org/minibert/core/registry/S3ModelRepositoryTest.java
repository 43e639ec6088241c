package org.minibert.core.registry;

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
}
