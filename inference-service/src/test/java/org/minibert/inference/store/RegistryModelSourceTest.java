package org.minibert.inference.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.FileDigest;
import org.minibert.core.registry.ModelLayout;
import org.minibert.inference.testing.TinyModel;

/** The local model cache keeps the serving and the previous version and nothing else. */
class RegistryModelSourceTest {
  @TempDir Path tmp;

  private static final String V1 = "20261201T000000Z-aaaaaa";
  private static final String V2 = "20261202T000000Z-bbbbbb";
  private static final String V3 = "20261203T000000Z-cccccc";
  private static final String V4 = "20261204T000000Z-dddddd";

  @Test
  void pruneKeepsServingAndPreviousAndRemovesStagingFolders() throws Exception {
    Path cache = tmp.resolve("cache");
    Path model = cache.resolve("minibert");
    for (String name : new String[] {V1, V2, V3, V4, ".tmp-" + V4 + "-123"}) {
      Files.createDirectories(model.resolve(name));
      Files.writeString(model.resolve(name).resolve("model.onnx"), "x");
    }
    try (RegistryModelSource source =
        new RegistryModelSource(
            tmp.resolve("store").toString(), "minibert", cache, Duration.ofMinutes(1))) {
      // at start: the two newest stay
      assertThat(source.prune(null, null)).containsExactlyInAnyOrder(".tmp-" + V4 + "-123", V1, V2);
      assertThat(model)
          .isDirectoryContaining(p -> p.endsWith(V3))
          .isDirectoryContaining(p -> p.endsWith(V4));
      Files.createDirectories(model.resolve(V1));
      // after a swap from V3 to V1 (a rollback): V4 goes
      assertThat(source.prune(V1, V3)).containsExactly(V4);
      assertThat(source.prune(V1, V3)).isEmpty();
    }
  }

  /** As root, a folder is given to {@code nobody}; elsewhere the test is skipped. */
  @Test
  void pruneLeavesWhatAnotherUserOwns() throws Exception {
    Path cache = tmp.resolve("cache");
    Path model = cache.resolve("minibert");
    for (String name : new String[] {V1, V2, V3, V4}) {
      Files.createDirectories(model.resolve(name));
      Files.writeString(model.resolve(name).resolve("model.onnx"), "x");
    }
    Path foreign = model.resolve(V1);
    CacheFolderTest.giveToNobody(foreign);
    try (RegistryModelSource source =
        new RegistryModelSource(
            tmp.resolve("store").toString(), "minibert", cache, Duration.ofMinutes(1))) {
      assertThat(source.prune(V4, V3)).containsExactly(V2);
      assertThat(foreign.resolve("model.onnx")).exists();
    }
  }

  @Test
  void fetchesOnlyTheFilesTheServiceReads() throws Exception {
    String store = tmp.resolve("store").toString();
    String version = TinyModel.publish(store);
    try (RegistryModelSource source =
        new RegistryModelSource(
            store, TinyModel.MODEL, tmp.resolve("cache"), Duration.ofMinutes(1))) {
      ModelSource.Fetched fetched = source.fetch(version);
      // the tiny model has the serving graph: model.onnx stays in the store
      assertThat(fetched.manifest().files())
          .extracting(FileDigest::path)
          .contains(ModelLayout.MODEL_ONNX, ModelLayout.MODEL_SERVING_ONNX);
      assertThat(fetched.folder().resolve(ModelLayout.MODEL_SERVING_ONNX)).isRegularFile();
      assertThat(fetched.folder().resolve(ModelLayout.TOKENIZER_JSON)).isRegularFile();
      assertThat(fetched.folder().resolve(ModelLayout.MODEL_ONNX)).doesNotExist();
      // the partial copy is reused as verified
      assertThat(source.fetch(version).folder()).isEqualTo(fetched.folder());
    }
  }
}
