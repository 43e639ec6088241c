package org.minibert.core.registry;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.store.StoreException;

/**
 * Verified local copies of published versions, in {@code <cacheDir>/<model>/<version>/}. Readers
 * trust nothing but checksums: every file is checked against the version's manifest, on download
 * and again before a copy is reused.
 */
final class VerifiedCache {
  private final StoredVersions stored;

  VerifiedCache(StoredVersions stored) {
    this.stored = stored;
  }

  /**
   * Makes a verified local copy of {@code version} in {@code cacheDir/<model>/<version>/} and
   * returns that folder; a copy already there is reused when every file still matches the manifest.
   * The copy is downloaded to a temporary folder beside it, checked file by file, and renamed into
   * place, so the folder either does not exist or holds exactly the published files (plus their
   * manifest.json).
   *
   * @param timeLimit for the whole download, or null for none
   * @param wanted which of the manifest's files (by path) the copy holds, chosen from the manifest;
   *     the copy's manifest.json is still the whole manifest
   * @throws VersionIntegrityException naming the file that does not match the manifest
   * @throws StoreException when the store fails or the time limit passes
   */
  Path fetch(
      String version,
      Path cacheDir,
      Duration timeLimit,
      Function<Manifest, Predicate<String>> selection)
      throws IOException {
    Long deadline = timeLimit == null ? null : System.nanoTime() + timeLimit.toNanos();
    Manifest manifest = stored.manifest(version);
    Predicate<String> wanted = selection.apply(manifest);
    Path modelDir = cacheDir.resolve(stored.model());
    Path target = modelDir.resolve(version);
    if (isVerifiedCopy(target, manifest, wanted)) {
      return target;
    }
    Files.createDirectories(modelDir);
    Path staging = Files.createTempDirectory(modelDir, ".tmp-" + version + "-");
    try {
      stored.downloadVerified(manifest, staging, deadline, wanted);
      Json.write(staging.resolve(ModelLayout.MANIFEST_JSON), manifest);
      if (Files.exists(target)) {
        FileTrees.deleteRecursively(target); // a damaged or stale copy
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException fetchedMeanwhile) {
        if (!isVerifiedCopy(target, manifest, wanted)) {
          throw new StoreException("cannot replace " + target + ": another process is writing it");
        }
      }
      return target;
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  private static boolean isVerifiedCopy(Path folder, Manifest manifest, Predicate<String> wanted)
      throws IOException {
    Path copyManifest = folder.resolve(ModelLayout.MANIFEST_JSON);
    if (!Files.isRegularFile(copyManifest)) {
      return false;
    }
    try {
      if (!Json.read(copyManifest, Manifest.class).equals(manifest)) {
        return false;
      }
    } catch (JacksonException damaged) {
      return false;
    }
    for (FileDigest file : manifest.files()) {
      if (wanted.test(file.path()) && !file.matches(folder)) {
        return false;
      }
    }
    return true;
  }
}
