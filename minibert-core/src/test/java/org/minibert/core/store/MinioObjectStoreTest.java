package org.minibert.core.store;

import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.minibert.core.registry.RepositoryRoundTrip;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The same contract against a real MinIO server; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class MinioObjectStoreTest extends ObjectStoreContract {
  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

  @Override
  ObjectStore newEmptyStore() {
    return new S3ObjectStore(
        new S3ObjectStore.Settings(
            "minibert",
            "t-" + UUID.randomUUID(),
            URI.create(MINIO.getS3URL()),
            Region.US_EAST_1,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())),
            S3ObjectStore.Settings.DEFAULT_MULTIPART_THRESHOLD,
            S3ObjectStore.Settings.DEFAULT_PART_SIZE));
  }

  @Test
  void publishAndFetchRoundTrip() throws IOException {
    RepositoryRoundTrip.check(store, tmp, 1 << 20);
  }
}
