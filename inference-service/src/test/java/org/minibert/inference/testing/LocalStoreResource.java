package org.minibert.inference.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fresh local-folder store holding the tiny model (published with the project's registry), with
 * fast polling and retries so hot reload is seen within a second. Tests find the store through the
 * system property {@value #STORE_PROPERTY}.
 */
public class LocalStoreResource implements QuarkusTestResourceLifecycleManager {
  public static final String STORE_PROPERTY = "tinytest.store";

  @Override
  public Map<String, String> start() {
    try {
      Path root = Files.createTempDirectory("minibert-test-");
      Path store = root.resolve("store");
      TinyModel.publish(store.toString());
      System.setProperty(STORE_PROPERTY, store.toString());
      return Map.of(
          "minibert.store", store.toString(),
          "minibert.cache-dir", root.resolve("cache").toString(),
          "minibert.poll-interval", "250ms",
          "minibert.retry.initial-backoff", "100ms",
          "minibert.retry.max-backoff", "500ms");
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the test store", e);
    }
  }

  @Override
  public void stop() {
    System.clearProperty(STORE_PROPERTY);
  }
}
