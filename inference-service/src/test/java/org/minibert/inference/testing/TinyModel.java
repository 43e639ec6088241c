package org.minibert.inference.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.minibert.core.io.FileDigest;
import org.minibert.core.io.Json;
import org.minibert.core.registry.Manifest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.core.registry.ModelRepository;
import org.minibert.core.registry.Promotion;
import org.minibert.core.registry.PublishResult;
import org.minibert.core.registry.VersionDetails;
import org.minibert.core.registry.VersionId;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.ObjectStores;

/**
 * The tiny test model committed in {@code src/test/resources/tiny-model} (exported by the project's
 * exporter; the e2e module's {@code TinyModelFixtureTest} fails when it no longer matches what the
 * exporter writes, and regenerates it), and ways to publish it.
 */
public final class TinyModel {
  /** The trainer's run folder the fixture's manifest names (the service shows its name only). */
  public static final String RUN_FOLDER = "/home/trainer/runs/test-fixture";

  public static final String MODEL = "minibert";

  /** Beside an exported folder: the parity figures of its export, for publishing it. */
  public static final String PARITY_SUFFIX = ".parity.json";

  private TinyModel() {}

  /** The exported version folder (model.onnx, tokenizer.json, config.json, ...). */
  public static Path folder() {
    Path folder = Path.of(System.getProperty("tiny.model", "src/test/resources/tiny-model"));
    if (!Files.isRegularFile(folder.resolve(ModelLayout.MODEL_ONNX))) {
      throw new IllegalStateException(
          folder
              + " has no model.onnx (regenerate it: ./mvnw -B -pl e2e -am test"
              + " -Dtest=TinyModelFixtureTest -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Dminibert.fixture.write=true)");
    }
    return folder;
  }

  /** Publishes the tiny model as a new version and promotes it; returns the version id. */
  public static String publish(String storeUri) throws IOException {
    try (ObjectStore store = ObjectStores.open(storeUri)) {
      return publish(new ModelRepository(store, MODEL), folder()).version();
    }
  }

  /**
   * Publishes an exported folder (with its parity figures) as a new version and moves LATEST to it.
   */
  public static PublishResult publish(ModelRepository repository, Path folder) throws IOException {
    Manifest.Parity parity =
        Json.read(
            folder.resolveSibling(folder.getFileName() + PARITY_SUFFIX), Manifest.Parity.class);
    return repository.publish(
        folder,
        new VersionDetails(parity, new Manifest.Source(RUN_FOLDER, 0, "unknown"), null),
        Promotion.ALWAYS);
  }

  /** What a damaged upload leaves in the store instead of model.onnx. */
  @FunctionalInterface
  private interface Damage {
    void store(ObjectStore store, String key, Path file) throws IOException;
  }

  /**
   * Publishes a version whose manifest is right but whose model.onnx in the store is not what the
   * manifest says (a corrupted upload), and points LATEST at it; returns its id.
   */
  public static String publishCorrupted(String storeUri) throws IOException {
    return publishDamaged(
        storeUri,
        (store, key, file) -> {
          byte[] bytes = Files.readAllBytes(file);
          bytes[bytes.length / 2] ^= 0x5a;
          store.putBytes(key, bytes);
        });
  }

  /**
   * Publishes a version whose model.onnx is not in the store (yet), as a store that cannot serve it
   * for a while looks to a reader, and points LATEST at it; returns its id. {@link
   * #uploadModelFile} puts the file in place.
   */
  public static String publishWithoutModelFile(String storeUri) throws IOException {
    return publishDamaged(storeUri, (store, key, file) -> {});
  }

  /** Uploads the model.onnx of a version published by {@link #publishWithoutModelFile}. */
  public static void uploadModelFile(String storeUri, String version) throws IOException {
    try (ObjectStore store = ObjectStores.open(storeUri)) {
      store.put(
          ModelLayout.versionPrefix(MODEL, version) + ModelLayout.MODEL_ONNX,
          folder().resolve(ModelLayout.MODEL_ONNX));
    }
  }

  private static String publishDamaged(String storeUri, Damage damage) throws IOException {
    Path folder = folder();
    String version = VersionId.create(Instant.now(), new SecureRandom());
    String prefix = ModelLayout.versionPrefix(MODEL, version);
    List<FileDigest> files = new ArrayList<>();
    try (ObjectStore store = ObjectStores.open(storeUri)) {
      for (String name :
          List.of(
              ModelLayout.MODEL_ONNX,
              ModelLayout.TOKENIZER_JSON,
              ModelLayout.CONFIG_JSON,
              ModelLayout.METRICS_JSON)) {
        files.add(FileDigest.of(folder, name));
        if (name.equals(ModelLayout.MODEL_ONNX)) {
          damage.store(store, prefix + name, folder.resolve(name));
        } else {
          store.put(prefix + name, folder.resolve(name));
        }
      }
      Manifest manifest =
          new Manifest(
              Manifest.FORMAT_VERSION,
              MODEL,
              version,
              Instant.now().toString(),
              files,
              new Manifest.Parity(0, 1e-4, 1),
              new Manifest.Source("damaged-test", 0, "unknown"),
              null);
      store.putBytes(prefix + ModelLayout.MANIFEST_JSON, Json.MAPPER.writeValueAsBytes(manifest));
      store.putBytes(
          ModelLayout.latestKey(MODEL), (version + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return version;
  }
}
