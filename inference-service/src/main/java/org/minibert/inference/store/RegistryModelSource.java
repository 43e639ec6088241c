package org.minibert.inference.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.VersionId;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;

/**
 * The one adapter between the service and minibert-core's registry ({@link ModelRepository} over
 * {@link ObjectStores#open}): every call into the store API is in this class.
 */
public final class RegistryModelSource implements ModelSource {
  private static final Logger LOG = Logger.getLogger(RegistryModelSource.class);
  private final ObjectStore store;
  private final ModelRepository repository;
  private final Path cacheDir;
  private final Duration fetchTimeout;

  /**
   * @param uri a local folder or {@code s3://bucket/prefix} (S3 settings from {@code AWS_*}
   *     environment variables)
   * @param fetchTimeout the longest one version's download may take
   * @throws IllegalArgumentException for a malformed URI or model name
   */
  public RegistryModelSource(String uri, String model, Path cacheDir, Duration fetchTimeout) {
    this.fetchTimeout = fetchTimeout;
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
  public Manifest manifest(String version) throws IOException {
    return repository.manifest(version);
  }

  @Override
  public Fetched fetch(String version) throws IOException {
    Path folder = repository.fetch(version, cacheDir, fetchTimeout, ServingFiles::of);
    // the verified copy holds the manifest it was checked against
    return new Fetched(
        folder, Json.read(folder.resolve(ModelLayout.MANIFEST_JSON), Manifest.class));
  }

  @Override
  public List<String> prune(String serving, String previous) throws IOException {
    Path modelDir = cacheDir.resolve(repository.model());
    if (!Files.isDirectory(modelDir)) {
      return List.of();
    }
    // never follow into what another user owns (a link, a planted folder): delete only our own
    UserPrincipal self = CacheFolder.currentUser(cacheDir);
    if (!CacheFolder.ownedBy(modelDir, self)) {
      LOG.warnf("not pruning %s: it is a link or belongs to another user", modelDir);
      return List.of();
    }
    List<String> versions = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    try (Stream<Path> entries = Files.list(modelDir)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (!CacheFolder.ownedBy(entry, self)) {
          LOG.warnf("not pruning %s: it is a link or belongs to another user", entry);
        } else if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          FileTrees.deleteRecursively(entry); // the staging folder of an interrupted download
          removed.add(name);
        } else if (Files.isDirectory(entry) && VersionId.isValid(name)) {
          versions.add(name);
        }
      }
    }
    // ids sort by creation time: keep the newest copies that are not named
    List<String> keep = new ArrayList<>();
    keep.add(serving);
    keep.add(previous);
    for (int i = versions.size() - 1; i >= 0 && keep.contains(null); i--) {
      if (!keep.contains(versions.get(i))) {
        keep.set(keep.indexOf(null), versions.get(i));
      }
    }
    for (String version : versions) {
      if (!keep.contains(version)) {
        FileTrees.deleteRecursively(modelDir.resolve(version));
        removed.add(version);
      }
    }
    return removed;
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
