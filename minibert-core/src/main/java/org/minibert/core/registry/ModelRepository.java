package org.minibert.core.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;

/**
 * The published versions of one model in one store (layout in {@link ModelLayout}): the one object
 * callers make. It checks the model name and hands each call to the part that does it:
 *
 * <ul>
 *   <li>{@link VersionPublisher}: the publish protocol (files, manifest, read-back, then LATEST),
 *       so that a publisher that dies at any step leaves LATEST where it was;
 *   <li>{@link PromotionPolicy}: whether the new version replaces LATEST ({@link Promotion});
 *   <li>{@link Promoter}: every move of LATEST, compare-and-set, recorded in {@code HISTORY.json}
 *       (promote a chosen version, roll back); {@link VersionPruner}: deleting old versions;
 *   <li>{@link VerifiedCache}: local copies checked file by file against the manifest;
 *   <li>{@link StoredVersions}: reading LATEST, the versions and their manifests.
 * </ul>
 */
public final class ModelRepository {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Every file of a version. */
  private static final Function<Manifest, Predicate<String>> ALL_FILES = manifest -> path -> true;

  private final StoredVersions stored;
  private final VersionPublisher publisher;
  private final Promoter promoter;
  private final VersionPruner pruner;
  private final VerifiedCache cache;

  public ModelRepository(ObjectStore store, String model) {
    this(store, model, Clock.systemUTC());
  }

  /**
   * @param clock what version ids and {@code created_at} are taken from
   */
  public ModelRepository(ObjectStore store, String model, Clock clock) {
    this(store, model, clock, RegistryLock.LEASE);
  }

  /**
   * @param lease how long a writer that died holds the registry lock ({@link RegistryLock})
   */
  ModelRepository(ObjectStore store, String model, Clock clock, Duration lease) {
    this.stored = new StoredVersions(store, checkName(model));
    this.promoter = new Promoter(stored, clock, lease);
    this.publisher = new VersionPublisher(stored, promoter, clock);
    this.pruner = new VersionPruner(stored, promoter);
    this.cache = new VerifiedCache(stored);
  }

  /**
   * Returns {@code model} when it is a valid model name (it becomes a folder and part of S3 keys),
   * else throws.
   */
  public static String checkName(String model) {
    if (model == null || !NAME.matcher(model).matches()) {
      throw new IllegalArgumentException(
          "'"
              + model
              + "' is not a valid model name: use 1-64 characters"
              + " a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
    return model;
  }

  public String model() {
    return stored.model();
  }

  public ObjectStore store() {
    return stored.store();
  }

  /**
   * Uploads every file of {@code versionFolder} (recursively, except a {@code manifest.json}) as a
   * new version, writes its manifest, reads everything back to verify it, then promotes it
   * according to {@code promotion}.
   *
   * @throws StoreException when an upload or the verification fails; LATEST is untouched then
   */
  public PublishResult publish(Path versionFolder, VersionDetails details, Promotion promotion)
      throws IOException {
    return publisher.publish(versionFolder, details, promotion);
  }

  /** The version LATEST points at, or empty when nothing was promoted yet. */
  public Optional<String> latest() throws IOException {
    return stored.latest();
  }

  /**
   * Points LATEST at {@code version} after downloading and checking each of its files against the
   * manifest ({@code models promote}).
   *
   * @return one sentence saying what changed
   * @throws StoreException when the version is incomplete or a file does not match
   */
  public String promote(String version) throws IOException {
    return promoter.promote(version);
  }

  /**
   * Points LATEST back at the version promoted before it (by {@code HISTORY.json}), checked first
   * ({@code models rollback}). Rolling back twice goes back two promotions.
   *
   * @return one sentence saying what changed
   * @throws IllegalArgumentException when there is nothing to roll back to
   */
  public String rollback() throws IOException {
    return promoter.rollback();
  }

  /** Where {@link #rollback()} would take LATEST now; empty when nowhere. */
  public Optional<String> rollbackTarget() throws IOException {
    Optional<String> current = promoter.current().version();
    return current.isEmpty() ? Optional.empty() : promoter.rollbackTarget(current.get());
  }

  /**
   * Deletes all but the {@code keep} newest versions, never LATEST nor the rollback target ({@code
   * models prune}).
   *
   * @return the deleted version ids, oldest first
   */
  public List<String> prune(int keep) throws IOException {
    return pruner.prune(keep);
  }

  /** Every version in the store, complete or not, oldest first (ids sort by creation time). */
  public List<VersionInfo> versions() throws IOException {
    return stored.versions();
  }

  /**
   * The manifest of {@code version}.
   *
   * @throws StoreException when the version has no manifest (an incomplete upload) or an unreadable
   *     one
   */
  public Manifest manifest(String version) throws IOException {
    return stored.manifest(version);
  }

  /**
   * Makes a verified local copy of {@code version} in {@code cacheDir/<model>/<version>/} and
   * returns that folder; a copy already there is reused when every file still matches the manifest
   * (see {@link VerifiedCache}).
   *
   * @throws StoreException naming the file whose checksum does not match the manifest
   */
  public Path fetch(String version, Path cacheDir) throws IOException {
    return cache.fetch(version, cacheDir, null, ALL_FILES);
  }

  /**
   * {@link #fetch(String, Path)} within a time limit for the whole download; reading each file
   * stops at the size the manifest declares.
   *
   * @throws VersionIntegrityException when a file has more bytes or another checksum than declared
   * @throws StoreException when the store fails or the download takes longer than {@code timeLimit}
   */
  public Path fetch(String version, Path cacheDir, Duration timeLimit) throws IOException {
    return cache.fetch(version, cacheDir, timeLimit, ALL_FILES);
  }

  /**
   * {@link #fetch(String, Path, Duration)} of only the files {@code selection} picks from the
   * version's manifest (by path): a reader that needs one of the version's graphs downloads and
   * verifies only that one. A cached copy is reused when those files still match.
   */
  public Path fetch(
      String version,
      Path cacheDir,
      Duration timeLimit,
      Function<Manifest, Predicate<String>> selection)
      throws IOException {
    return cache.fetch(version, cacheDir, timeLimit, selection);
  }
}
