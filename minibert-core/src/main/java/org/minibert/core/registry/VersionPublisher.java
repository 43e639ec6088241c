package org.minibert.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.FileTrees;
import org.minibert.core.io.Json;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.store.StoreException;

/**
 * The publish protocol. The store has no transactions, so correctness comes from ordering: a
 * version's files first, its manifest (with every file's SHA-256) second, a read-back that
 * downloads and checks every file third, and only then the LATEST pointer ({@link PromotionPolicy}
 * decides), a one-line object that S3 and the folder store both replace atomically, and only if it
 * is still the LATEST the decision read ({@link Promoter}). A publisher that dies at any step
 * leaves LATEST where it was and, at worst, a version that {@link ModelRepository#versions()}
 * reports as incomplete.
 */
final class VersionPublisher {
  private final StoredVersions stored;
  private final Promoter promoter;
  private final Clock clock;
  private final RandomGenerator random = new SecureRandom();

  /**
   * @param clock what version ids and {@code created_at} are taken from
   */
  VersionPublisher(StoredVersions stored, Promoter promoter, Clock clock) {
    this.stored = stored;
    this.promoter = promoter;
    this.clock = clock;
  }

  /**
   * Uploads every file of {@code versionFolder} (recursively, except a {@code manifest.json}) as a
   * new version, writes its manifest, reads everything back to verify it, then promotes it
   * according to {@code promotion}.
   *
   * @throws StoreException when an upload or the verification fails; LATEST is untouched then
   */
  PublishResult publish(Path versionFolder, VersionDetails details, Promotion promotion)
      throws IOException {
    ObjectStore store = stored.store();
    String model = stored.model();
    List<FileDigest> files = digestFolder(versionFolder);
    store.ensureExists();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String version = VersionId.create(now, random);
    String prefix = ModelLayout.versionPrefix(model, version);
    for (FileDigest file : files) {
      store.put(prefix + file.path(), versionFolder.resolve(file.path()));
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            model,
            version,
            now.toString(),
            files,
            details.parity(),
            details.source(),
            details.validationLoss(),
            details.heldOutText(),
            Manifest.graphsAmong(files));
    store.putBytes(prefix + ModelLayout.MANIFEST_JSON, Json.MAPPER.writeValueAsBytes(manifest));
    verifyPublished(manifest);

    PromotionPolicy.Decision decision = promoter.promotePublished(manifest, promotion);
    return new PublishResult(manifest, decision.promote(), decision.reason());
  }

  private static List<FileDigest> digestFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(folder.toString());
    }
    List<String> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths =
          walk.filter(Files::isRegularFile)
              .map(
                  f ->
                      folder
                          .relativize(f)
                          .toString()
                          .replace(f.getFileSystem().getSeparator(), "/"))
              .filter(p -> !p.equals(ModelLayout.MANIFEST_JSON))
              .sorted()
              .toList();
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(folder + " has no files to publish");
    }
    List<FileDigest> digests = new ArrayList<>();
    for (String path : paths) {
      digests.add(FileDigest.of(folder, ObjectStores.checkKey(path)));
    }
    return digests;
  }

  /**
   * Reads the manifest back and downloads every file into a scratch folder to check it. On failure
   * the manifest is removed again, so the version shows as incomplete instead of looking complete
   * with a bad file.
   */
  private void verifyPublished(Manifest written) throws IOException {
    String manifestKey = stored.manifestKey(written.version());
    Path scratch = Files.createTempDirectory("minibert-verify-");
    try {
      if (!stored.manifest(written.version()).equals(written)) {
        throw new StoreException(
            stored.location(manifestKey) + " reads back different from what was written");
      }
      stored.downloadVerified(written, scratch);
    } catch (IOException | RuntimeException e) {
      try {
        stored.store().delete(manifestKey);
      } catch (IOException | RuntimeException cleanupFailed) {
        e.addSuppressed(cleanupFailed);
      }
      throw e;
    } finally {
      FileTrees.deleteRecursively(scratch);
    }
  }
}
