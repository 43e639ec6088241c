package org.minibert.inference.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;

/**
 * The one adapter between the service and minibert-core's registry ({@link ModelRepository} over
 * {@link ObjectStores#open}): every call into the store API is in this class.
 */
public final class RegistryModelSource implements ModelSource {
  private final ObjectStore store;
  private final ModelRepository repository;
  private final Path cacheDir;

  /**
   * @param uri a local folder or {@code s3://bucket/prefix} (S3 settings from {@code AWS_*}
   *     environment variables)
   * @throws IllegalArgumentException for a malformed URI or model name
   */
  public RegistryModelSource(String uri, String model, Path cacheDir) {
    this.store = ObjectStores.open(uri);
    try {
      this.repository = new ModelRepository(store, model);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.cacheDir = cacheDir;
  }

  @Override
  public Optional<String> latest() throws IOException {
    return repository.latest();
  }

  @Override
  public Fetched fetch(String version) throws IOException {
    Path folder = repository.fetch(version, cacheDir);
    // the verified copy holds the manifest it was checked against
    return new Fetched(
        folder, Json.read(folder.resolve(ModelLayout.MANIFEST_JSON), Manifest.class));
  }

  @Override
  public String uri() {
    return store.uri();
  }

  @Override
  public void close() {
    store.close();
  }
}
