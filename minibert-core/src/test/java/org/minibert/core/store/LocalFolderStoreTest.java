package org.minibert.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalFolderStoreTest extends ObjectStoreContract {
  @Override
  ObjectStore newEmptyStore() {
    return new LocalFolderStore(tmp.resolve("store"));
  }

  @Test
  void keysMapOntoTheFolderLayoutAndUnfinishedWritesAreNotListed() throws IOException {
    store.putBytes("m/versions/v/config.json", "{}".getBytes());
    Path root = tmp.resolve("store");
    assertThat(root.resolve("m/versions/v/config.json")).hasContent("{}");
    Files.writeString(root.resolve("m/versions/v/.tmp-model.onnx-123"), "half a file");
    assertThat(store.list("")).containsExactly("m/versions/v/config.json");
  }

  @Test
  void aStoreInsideAFolderNamedLikeATemporaryFileStillListsItsKeys() throws IOException {
    try (ObjectStore nested = new LocalFolderStore(tmp.resolve(".tmp-work/store"))) {
      nested.putBytes("k", new byte[] {1});
      assertThat(nested.list("")).containsExactly("k");
    }
  }

  @Test
  void aMissingFolderIsAnEmptyStoreAndIsNotCreatedByReading() throws IOException {
    try (ObjectStore missing = new LocalFolderStore(tmp.resolve("nope"))) {
      assertThat(missing.list("")).isEmpty();
      assertThat(missing.getBytes("m/LATEST")).isEmpty();
    }
    assertThat(tmp.resolve("nope")).doesNotExist();
  }

  @Test
  void uriIsTheAbsoluteFolder() {
    assertThat(store.uri()).isEqualTo(tmp.resolve("store").toAbsolutePath().toString());
  }
}
