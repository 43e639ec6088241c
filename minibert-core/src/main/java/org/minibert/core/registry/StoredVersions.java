package org.minibert.core.registry;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.Json;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;
import org.minibert.core.store.StoreException;

/**
 * What a store holds of one model, read and never written: LATEST, the versions, their manifests,
 * and their files checked against the manifest. The publisher, the promotion policy and the local
 * cache all read through here.
 */
final class StoredVersions {
  private final ObjectStore store;
  private final String model;

  /**
   * @param model a name already checked by {@link ModelRepository#checkName}
   */
  StoredVersions(ObjectStore store, String model) {
    this.store = store;
    this.model = model;
  }

  ObjectStore store() {
    return store;
  }

  String model() {
    return model;
  }

  /** The version LATEST points at, or empty when nothing was promoted yet. */
  Optional<String> latest() throws IOException {
    Optional<String> text = latestText();
    if (text.isPresent() && !VersionId.isValid(text.get())) {
      throw new StoreException(
          location(ModelLayout.latestKey(model)) + " holds '" + text.get() + "', not a version id");
    }
    return text;
  }

  /** Every version in the store, complete or not, oldest first (ids sort by creation time). */
  List<VersionInfo> versions() throws IOException {
    String versionsPrefix = ModelLayout.versionsPrefix(model);
    Map<String, SortedMap<String, Long>> filesByVersion = new TreeMap<>();
    for (Map.Entry<String, Long> object : store.listWithSizes(versionsPrefix).entrySet()) {
      String rest = object.getKey().substring(versionsPrefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        filesByVersion
            .computeIfAbsent(rest.substring(0, slash), v -> new TreeMap<>())
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
   * @throws StoreException when the version has no manifest (an incomplete upload) or an unreadable
   *     one
   */
  Manifest manifest(String version) throws IOException {
    String key = manifestKey(VersionId.check(version));
    byte[] bytes =
        store
            .getBytes(key)
            .orElseThrow(
                () ->
                    new StoreException(
                        location(key)
                            + " does not exist: version "
                            + version
                            + " of "
                            + model
                            + " is missing or incomplete"));
    return parseManifest(key, bytes);
  }

  /**
   * Downloads every file {@code manifest} lists into {@code folder}, checking each against its
   * checksum; no time limit.
   */
  void downloadVerified(Manifest manifest, Path folder) throws IOException {
    downloadVerified(manifest, folder, null, path -> true);
  }

  /**
   * Downloads every file {@code manifest} lists into {@code folder}, checking each against its
   * checksum. Reading stops at the size the manifest declares: a store that sends more fails the
   * download instead of filling the disk.
   *
   * @param deadline when the whole download must be done ({@link System#nanoTime()}), or null
   * @param wanted which of the listed files (by path) to download
   * @throws VersionIntegrityException for a file with more bytes or another checksum than declared
   * @throws StoreException when the deadline passes
   */
  void downloadVerified(Manifest manifest, Path folder, Long deadline, Predicate<String> wanted)
      throws IOException {
    String prefix = ModelLayout.versionPrefix(model, manifest.version());
    for (FileDigest file : manifest.files()) {
      if (!wanted.test(file.path())) {
        continue;
      }
      String key = prefix + checkListedPath(prefix, file.path());
      try (InputStream in = store.open(key)) {
        AtomicFiles.write(
            folder.resolve(file.path()), out -> copyDeclared(in, out, file.size(), key, deadline));
      }
      if (!file.matches(folder)) {
        Path copy = folder.resolve(file.path());
        throw new VersionIntegrityException(
            location(key)
                + ": checksum mismatch: the manifest says sha256 "
                + abbreviate(file.sha256())
                + " ("
                + file.size()
                + " bytes), the store has "
                + abbreviate(FileDigest.sha256(copy))
                + " ("
                + Files.size(copy)
                + " bytes)");
      }
    }
  }

  /** Copies at most {@code size} bytes, failing when the stream has more or the deadline passes. */
  private void copyDeclared(InputStream in, OutputStream out, long size, String key, Long deadline)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      if (deadline != null && System.nanoTime() - deadline > 0) {
        throw new StoreException(
            location(key)
                + ": the download did not finish within its time limit ("
                + (size - left)
                + " of "
                + size
                + " bytes read)");
      }
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        return; // fewer bytes than declared: the checksum check names the sizes
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    if (in.read() >= 0) {
      throw new VersionIntegrityException(
          location(key) + ": the store has more than the " + size + " bytes the manifest declares");
    }
  }

  String manifestKey(String version) {
    return ModelLayout.versionPrefix(model, version) + ModelLayout.MANIFEST_JSON;
  }

  /**
   * Parses the manifest stored at {@code key} and checks that it describes the version of this
   * model it is stored under.
   *
   * @throws StoreException when it does not, or is not a manifest at all
   */
  Manifest parseManifest(String key, byte[] bytes) throws StoreException {
    Manifest manifest;
    try {
      manifest = Json.MAPPER.readValue(bytes, Manifest.class);
    } catch (JacksonException e) {
      throw new StoreException(
          location(key) + " is not a valid manifest: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new StoreException(location(key) + " is not a valid manifest: " + e.getMessage(), e);
    }
    String expectedVersion =
        key.substring(ModelLayout.versionsPrefix(model).length(), key.lastIndexOf('/'));
    if (!model.equals(manifest.model())
        || !expectedVersion.equals(manifest.version())
        || manifest.files() == null) {
      throw new StoreException(
          location(key)
              + " describes "
              + manifest.model()
              + " "
              + manifest.version()
              + ", not "
              + model
              + " "
              + expectedVersion);
    }
    return manifest;
  }

  /** Where {@code key} is, for messages: the store's URI and the key. */
  String location(String key) {
    return store.uri() + "/" + key;
  }

  /** A manifest is data from the store: its paths must not lead outside the version folder. */
  private String checkListedPath(String prefix, String path) throws StoreException {
    try {
      ObjectStores.checkKey(path);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          location(prefix + ModelLayout.MANIFEST_JSON)
              + " lists an invalid path: "
              + e.getMessage());
    }
    if (path.equals(ModelLayout.MANIFEST_JSON)) {
      throw new StoreException(location(prefix + ModelLayout.MANIFEST_JSON) + " lists itself");
    }
    return path;
  }

  private VersionInfo describe(String id, SortedMap<String, Long> files, boolean isLatest)
      throws IOException {
    if (!VersionId.isValid(id)) {
      return new VersionInfo(id, "not a version id", null, null, isLatest);
    }
    Instant idTime = VersionId.timestamp(id);
    if (!files.containsKey(ModelLayout.MANIFEST_JSON)) {
      return new VersionInfo(id, "no manifest.json", idTime, null, isLatest);
    }
    String key = manifestKey(id);
    Manifest manifest;
    try {
      manifest =
          parseManifest(
              key, store.getBytes(key).orElseThrow(() -> new StoreException("deleted meanwhile")));
    } catch (StoreException unreadable) {
      return new VersionInfo(id, "unreadable manifest.json", idTime, null, isLatest);
    }
    Instant created = parseInstant(manifest.createdAt()).orElse(idTime);
    return new VersionInfo(
        id, missingFile(manifest, files), created, manifest.validationLoss(), isLatest);
  }

  /**
   * The first listed file that is not stored with its listed size, described; null when all are.
   */
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

  private Optional<String> latestText() throws IOException {
    return store
        .getBytes(ModelLayout.latestKey(model))
        .map(b -> new String(b, StandardCharsets.UTF_8).strip());
  }

  private static Optional<Instant> parseInstant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
  }
}
