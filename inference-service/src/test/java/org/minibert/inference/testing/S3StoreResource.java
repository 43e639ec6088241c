package org.minibert.inference.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.Map;
import org.minibert.core.store.S3ProxyServer;

/**
 * The store's in-process S3 server (S3Proxy, {@link S3ProxyServer}) with a bucket that does not
 * exist yet: the service starts with nothing to serve, and the test publishes to S3 while it runs.
 * The S3 client finds endpoint and credentials the way a deployment gives them
 * (AWS_ENDPOINT_URL_S3, aws.accessKeyId, ...), here as system properties of the test JVM.
 */
public class S3StoreResource implements QuarkusTestResourceLifecycleManager {
  public static final String STORE_PROPERTY = "tinytest.s3store";
  private static final String[] PROPERTIES = {
    "AWS_ENDPOINT_URL_S3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region", STORE_PROPERTY
  };

  @Override
  public Map<String, String> start() {
    try {
      String uri = "s3://minibert-models/serving";
      System.setProperty("AWS_ENDPOINT_URL_S3", S3ProxyServer.endpoint().toString());
      System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
      System.setProperty("aws.region", "us-east-1");
      System.setProperty(STORE_PROPERTY, uri);
      return Map.of(
          "minibert.store", uri,
          "minibert.cache-dir", Files.createTempDirectory("minibert-s3-cache-").toString(),
          "minibert.poll-interval", "250ms",
          "minibert.retry.initial-backoff", "100ms",
          "minibert.retry.max-backoff", "300ms");
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the S3 store", e);
    }
  }

  @Override
  public void stop() {
    for (String property : PROPERTIES) {
      System.clearProperty(property);
    }
  }
}
