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

  /** The manifest of a version (what it holds and how large it is), without downloading it. */
  Manifest manifest(String version) throws IOException;

  /**
   * A local copy of a version whose every file matched the manifest's SHA-256 and size (a verified
   * cached copy is reused).
   *
   * @throws org.minibert.core.registry.VersionIntegrityException when a file does not verify
   * @throws IOException when the version is missing or incomplete, the store fails, or the download
   *     takes longer than its time limit
   */
  Fetched fetch(String version) throws IOException;

  /**
   * Removes from the local cache every version but {@code serving} and {@code previous}, and
   * leftover staging folders of interrupted downloads; returns what was removed. A null {@code
   * previous} keeps the newest other cached version; a null {@code serving} (at start) keeps the
   * two newest.
   */
  java.util.List<String> prune(String serving, String previous) throws IOException;

  /** The store's address for messages. */
  String uri();

  @Override
  void close();

  /** A verified local copy. */
  record Fetched(Path folder, Manifest manifest) {}
}
