package org.minibert.core.store;

import java.net.URI;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real S3 server (S3Proxy over an in-memory blob store) on a free port of 127.0.0.1, started once
 * for the test JVM, with AWS signature v4 and a known key pair, so S3ObjectStore is tested against
 * genuine S3 requests.
 */
public final class S3ProxyServer {
  public static final String ACCESS_KEY = "minibert-test";
  public static final String SECRET_KEY = "minibert-test-secret";
  public static final String BUCKET = "minibert-test";

  private static URI endpoint;

  private S3ProxyServer() {}

  public static synchronized URI endpoint() {
    if (endpoint == null) {
      try {
        S3Proxy proxy =
            S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
          Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      } catch (Exception e) {
        throw new IllegalStateException("cannot start S3Proxy", e);
      }
    }
    return endpoint;
  }

  /**
   * Settings for the test bucket under a prefix of its own, so tests never see each other's keys.
   */
  public static S3ObjectStore.Settings settings() {
    return new S3ObjectStore.Settings(
        BUCKET,
        "t-" + UUID.randomUUID(),
        endpoint(),
        Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
        S3ObjectStore.Settings.DEFAULT_MULTIPART_THRESHOLD,
        S3ObjectStore.Settings.DEFAULT_PART_SIZE);
  }
}
