package org.minibert.inference.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.minibert.core.registry.Manifest;

/**
 * Where model versions come from: the service's view of the model registry (one implementation, one
 * adapter).
 */
public interface ModelSource extends AutoCloseable {

  /** The promoted version ({@code LATEST}), or empty when none is published yet. */
  Optional<String> latest() throws IOException;

  /**
   * A local copy of a version whose every file matched the manifest's SHA-256 and size (a verified
   * cached copy is reused).
   *
   * @throws IOException when the version is missing, incomplete or a file does not verify
   */
  Fetched fetch(String version) throws IOException;

  /** The store's address for messages. */
  String uri();

  @Override
  void close();

  /** A verified local copy. */
  record Fetched(Path folder, Manifest manifest) {}
}
