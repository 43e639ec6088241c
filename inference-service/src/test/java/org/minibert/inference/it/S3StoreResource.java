package org.minibert.inference.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy (a real S3 server over an in-memory blob store) on a free port of 127.0.0.1, with an EMPTY bucket: the
 * service starts with nothing to serve, and the test publishes to S3 while it runs. The S3 client finds endpoint
 * and credentials the way a deployment gives them (AWS_ENDPOINT_URL_S3, aws.accessKeyId, ...), here as system
 * properties of the test JVM.
 */
public class S3StoreResource implements QuarkusTestResourceLifecycleManager {
  public static final String STORE_PROPERTY = "tinytest.s3store";
  static final String ACCESS_KEY = "minibert-test";
  static final String SECRET_KEY = "minibert-test-secret";
  private static final String[] PROPERTIES = {"AWS_ENDPOINT_URL_S3", "aws.accessKeyId", "aws.secretAccessKey",
      "aws.region", STORE_PROPERTY};

  private S3Proxy proxy;

  @Override
  public Map<String, String> start() {
    try {
      proxy = S3Proxy.builder()
          .blobStore(new TransientNio2BlobStore())
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .build();
      proxy.start();
      while (!"STARTED".equals(proxy.getState())) {
        Thread.sleep(10);
      }
      String uri = "s3://minibert-models/serving";
      System.setProperty("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + proxy.getPort());
      System.setProperty("aws.accessKeyId", ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", SECRET_KEY);
      System.setProperty("aws.region", "us-east-1");
      System.setProperty(STORE_PROPERTY, uri);
      return Map.of(
          "minibert.store", uri,
          "minibert.cache-dir", Files.createTempDirectory("minibert-s3-cache-").toString(),
          "minibert.poll-interval", "250ms",
          "minibert.retry.initial-backoff", "100ms",
          "minibert.retry.max-backoff", "300ms");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }

  @Override
  public void stop() {
    for (String property : PROPERTIES) {
      System.clearProperty(property);
    }
    if (proxy != null) {
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // the JVM is ending its tests anyway
      }
    }
  }
}
