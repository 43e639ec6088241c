package org.minibert.core.registry;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.Json;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.store.StoreException;

/**
 * The published versions of one model in one store (layout in {@link ModelLayout}).
 *
 * <p>The store has no transactions, so correctness comes from ordering: a version's files first, its manifest
 * (with every file's SHA-256) second, a read-back that downloads and checks every file third, and only then the
 * LATEST pointer, a one-line object that S3 and the folder store both replace atomically. A publisher that dies at
 * any step leaves LATEST where it was and, at worst, a version that {@link #versions()} reports as incomplete.
 * Readers trust nothing but checksums: {@link #fetch} verifies every file against the manifest.
 */
public final class ModelRepository {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final ObjectStore store;
  private final String model;
  private final Clock clock;
  private final RandomGenerator random = new SecureRandom();

  public ModelRepository(ObjectStore store, String model) {
    this(store, model, Clock.systemUTC());
  }

  /** @param clock what version ids and {@code created_at} are taken from */
  public ModelRepository(ObjectStore store, String model, Clock clock) {
    this.store = store;
    this.model = checkName(model);
    this.clock = clock;
  }

  /** Returns {@code model} when it is a valid model name (it becomes a folder and part of S3 keys), else throws. */
  public static String checkName(String model) {
    if (model == null || !NAME.matcher(model).matches()) {
      throw new IllegalArgumentException("'" + model + "' is not a valid model name: use 1-64 characters"
          + " a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
    return model;
  }

  public String model() {
    return model;
  }

  public ObjectStore store() {
    return store;
  }

  /**
   * Uploads every file of {@code versionFolder} (recursively, except a {@code manifest.json}) as a new version,
   * writes its manifest, reads everything back to verify it, then promotes it according to {@code promotion}.
   *
   * @throws StoreException when an upload or the verification fails; LATEST is untouched then
   */
  public PublishResult publish(Path versionFolder, VersionDetails details, Promotion promotion) throws IOException {
    List<FileDigest> files = digestFolder(versionFolder);
    store.ensureExists();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String version = VersionId.create(now, random);
    String prefix = ModelLayout.versionPrefix(model, version);
    for (FileDigest file : files) {
      store.put(prefix + file.path(), versionFolder.resolve(file.path()));
    }
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, model, version, now.toString(), files,
        details.parity(), details.source(), details.validationLoss());
    store.putBytes(prefix + ModelLayout.MANIFEST_JSON, Json.MAPPER.writeValueAsBytes(manifest));
    verifyPublished(manifest);

    Decision decision = decide(manifest, promotion);
    if (decision.promote()) {
      store.putBytes(ModelLayout.latestKey(model), (version + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new PublishResult(manifest, decision.promote(), decision.reason());
  }

  /** The version LATEST points at, or empty when nothing was promoted yet. */
  public Optional<String> latest() throws IOException {
    Optional<String> text = latestText();
    if (text.isPresent() && !VersionId.isValid(text.get())) {
      throw new StoreException(location(ModelLayout.latestKey(model)) + " holds '" + text.get()
          + "', not a version id");
    }
    return text;
  }

  /** Every version in the store, complete or not, oldest first (ids sort by creation time). */
  public List<VersionInfo> versions() throws IOException {
    String versionsPrefix = ModelLayout.versionsPrefix(model);
    Map<String, SortedMap<String, Long>> filesByVersion = new TreeMap<>();
    for (Map.Entry<String, Long> object : store.listWithSizes(versionsPrefix).entrySet()) {
      String rest = object.getKey().substring(versionsPrefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        filesByVersion.computeIfAbsent(rest.substring(0, slash), v -> new TreeMap<>())
            .put(rest.substring(slash + 1), object.getValue());
      }
    }
    String latest = latestText().orElse(null);
    List<VersionInfo> infos = new ArrayList<>();
    for (Map.Entry<String, SortedMap<String, Long>> version : filesByVersion.entrySet()) {
      infos.add(describe(version.getKey(), version.getValue(), version.getKey().equals(latest)));
    }
    return infos;
  }

  /**
   * The manifest of {@code version}.
   *
   * @throws StoreException when the version has no manifest (an incomplete upload) or an unreadable one
   */
  public Manifest manifest(String version) throws IOException {
    String key = ModelLayout.versionPrefix(model, VersionId.check(version)) + ModelLayout.MANIFEST_JSON;
    byte[] bytes = store.getBytes(key).orElseThrow(() ->
        new StoreException(location(key) + " does not exist: version " + version + " of " + model
            + " is missing or incomplete"));
    return parseManifest(key, bytes);
  }

  /**
   * Makes a verified local copy of {@code version} in {@code cacheDir/<model>/<version>/} and returns that folder;
   * a copy already there is reused when every file still matches the manifest. The copy is downloaded to a
   * temporary folder beside it, checked file by file, and renamed into place, so the folder either does not exist
   * or holds exactly the published files (plus their manifest.json).
   *
   * @throws StoreException naming the file whose checksum does not match the manifest
   */
  public Path fetch(String version, Path cacheDir) throws IOException {
    Manifest manifest = manifest(version);
    Path modelDir = cacheDir.resolve(model);
    Path target = modelDir.resolve(version);
    if (isVerifiedCopy(target, manifest)) {
      return target;
    }
    Files.createDirectories(modelDir);
    Path staging = Files.createTempDirectory(modelDir, ".tmp-" + version + "-");
    try {
      downloadVerified(manifest, staging);
      Json.write(staging.resolve(ModelLayout.MANIFEST_JSON), manifest);
      if (Files.exists(target)) {
        deleteRecursively(target); // a damaged or stale copy
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException fetchedMeanwhile) {
        if (!isVerifiedCopy(target, manifest)) {
          throw new StoreException("cannot replace " + target + ": another process is writing it");
        }
      }
      return target;
    } finally {
      deleteRecursively(staging);
    }
  }

  private List<FileDigest> digestFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new java.nio.file.NoSuchFileException(folder.toString());
    }
    List<String> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths = walk.filter(Files::isRegularFile)
          .map(f -> folder.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"))
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
   * Reads the manifest back and downloads every file into a scratch folder to check it. On failure the manifest
   * is removed again, so the version shows as incomplete instead of looking complete with a bad file.
   */
  private void verifyPublished(Manifest written) throws IOException {
    String manifestKey = ModelLayout.versionPrefix(model, written.version()) + ModelLayout.MANIFEST_JSON;
    Path scratch = Files.createTempDirectory("minibert-verify-");
    try {
      if (!manifest(written.version()).equals(written)) {
        throw new StoreException(location(manifestKey) + " reads back different from what was written");
      }
      downloadVerified(written, scratch);
    } catch (IOException | RuntimeException e) {
      try {
        store.delete(manifestKey);
      } catch (IOException | RuntimeException cleanupFailed) {
        e.addSuppressed(cleanupFailed);
      }
      throw e;
    } finally {
      deleteRecursively(scratch);
    }
  }

  private void downloadVerified(Manifest manifest, Path folder) throws IOException {
    String prefix = ModelLayout.versionPrefix(model, manifest.version());
    for (FileDigest file : manifest.files()) {
      String key = prefix + checkListedPath(prefix, file.path());
      store.download(key, folder.resolve(file.path()));
      if (!file.matches(folder)) {
        Path copy = folder.resolve(file.path());
        throw new StoreException(location(key) + ": checksum mismatch: the manifest says sha256 "
            + abbreviate(file.sha256()) + " (" + file.size() + " bytes), the store has "
            + abbreviate(FileDigest.sha256(copy)) + " (" + Files.size(copy) + " bytes)");
      }
    }
  }

  /** A manifest is data from the store: its paths must not lead outside the version folder. */
  private String checkListedPath(String prefix, String path) throws StoreException {
    try {
      ObjectStores.checkKey(path);
    } catch (IllegalArgumentException e) {
      throw new StoreException(location(prefix + ModelLayout.MANIFEST_JSON) + " lists an invalid path: "
          + e.getMessage());
    }
    if (path.equals(ModelLayout.MANIFEST_JSON)) {
      throw new StoreException(location(prefix + ModelLayout.MANIFEST_JSON) + " lists itself");
    }
    return path;
  }

  private boolean isVerifiedCopy(Path folder, Manifest manifest) throws IOException {
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
      if (!file.matches(folder)) {
        return false;
      }
    }
    return true;
  }

  private Decision decide(Manifest candidate, Promotion promotion) throws IOException {
    Optional<String> current = latest();
    if (promotion == Promotion.ALWAYS) {
      return Decision.promote("promoted: --promote always" + current.map(c -> " (was " + c + ")").orElse(""));
    }
    if (current.isEmpty()) {
      return Decision.promote("promoted: first promoted version of " + model);
    }
    String latest = current.get();
    String key = ModelLayout.versionPrefix(model, latest) + ModelLayout.MANIFEST_JSON;
    Optional<byte[]> latestManifest = store.getBytes(key);
    if (latestManifest.isEmpty()) {
      return Decision.promote("promoted: LATEST " + latest + " has no manifest");
    }
    Double latestLoss;
    try {
      latestLoss = parseManifest(key, latestManifest.get()).validationLoss();
    } catch (StoreException unreadable) {
      return Decision.promote("promoted: the manifest of LATEST " + latest + " is unreadable");
    }
    Double loss = candidate.validationLoss();
    if (loss == null) {
      return Decision.keep("kept LATEST at " + latest + ": the new version's validation loss is unknown"
          + (latestLoss == null ? " (so is LATEST's; use --promote always)" : ", LATEST's is " + format(latestLoss)));
    }
    if (latestLoss == null) {
      return Decision.promote("promoted: validation loss " + format(loss) + " is known, that of " + latest + " is not");
    }
    if (loss < latestLoss) {
      return Decision.promote("promoted: validation loss " + format(loss) + " < " + format(latestLoss) + " of " + latest);
    }
    return Decision.keep("kept LATEST at " + latest + ": validation loss " + format(loss)
        + " is not better than " + format(latestLoss));
  }

  private record Decision(boolean promote, String reason) {
    static Decision promote(String reason) {
      return new Decision(true, reason);
    }

    static Decision keep(String reason) {
      return new Decision(false, reason);
    }
  }

  private VersionInfo describe(String id, SortedMap<String, Long> files, boolean isLatest) throws IOException {
    if (!VersionId.isValid(id)) {
      return new VersionInfo(id, "not a version id", null, null, isLatest);
    }
    Instant idTime = VersionId.timestamp(id);
    if (!files.containsKey(ModelLayout.MANIFEST_JSON)) {
      return new VersionInfo(id, "no manifest.json", idTime, null, isLatest);
    }
    String key = ModelLayout.versionPrefix(model, id) + ModelLayout.MANIFEST_JSON;
    Manifest manifest;
    try {
      manifest = parseManifest(key, store.getBytes(key).orElseThrow(() -> new StoreException("deleted meanwhile")));
    } catch (StoreException unreadable) {
      return new VersionInfo(id, "unreadable manifest.json", idTime, null, isLatest);
    }
    Instant created = parseInstant(manifest.createdAt()).orElse(idTime);
    return new VersionInfo(id, missingFile(manifest, files), created, manifest.validationLoss(), isLatest);
  }

  /** The first listed file that is not stored with its listed size, described; null when all are. */
  private static String missingFile(Manifest manifest, SortedMap<String, Long> stored) {
    for (FileDigest file : manifest.files()) {
      Long size = stored.get(file.path());
      if (size == null) {
        return file.path() + " is missing";
      }
      if (size != file.size()) {
        return file.path() + " has " + size + " bytes, not " + file.size();
      }
    }
    return null;
  }

  private Manifest parseManifest(String key, byte[] bytes) throws StoreException {
    Manifest manifest;
    try {
      manifest = Json.MAPPER.readValue(bytes, Manifest.class);
    } catch (JacksonException e) {
      throw new StoreException(location(key) + " is not a valid manifest: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new StoreException(location(key) + " is not a valid manifest: " + e.getMessage(), e);
    }
    String expectedVersion = key.substring(ModelLayout.versionsPrefix(model).length(), key.lastIndexOf('/'));
    if (!model.equals(manifest.model()) || !expectedVersion.equals(manifest.version()) || manifest.files() == null) {
      throw new StoreException(location(key) + " describes " + manifest.model() + " " + manifest.version()
          + ", not " + model + " " + expectedVersion);
    }
    return manifest;
  }

  private Optional<String> latestText() throws IOException {
    return store.getBytes(ModelLayout.latestKey(model)).map(b -> new String(b, StandardCharsets.UTF_8).strip());
  }

  private String location(String key) {
    return store.uri() + "/" + key;
  }

  private static Optional<Instant> parseInstant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Losses to 6 significant digits: enough to tell runs apart, short enough to read. */
  static String format(double loss) {
    return new BigDecimal(loss).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  private static String abbreviate(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
