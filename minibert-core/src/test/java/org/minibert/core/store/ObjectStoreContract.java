package org.minibert.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} must do; one subclass per implementation supplies a fresh, empty
 * store.
 */
abstract class ObjectStoreContract {
  @TempDir Path tmp;
  ObjectStore store;

  /** A store with nothing in it, used by one test. */
  abstract ObjectStore newEmptyStore() throws IOException;

  @BeforeEach
  void openStore() throws IOException {
    store = newEmptyStore();
    store.ensureExists();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void bytesRoundTrip() throws IOException {
    store.putBytes("m/LATEST", "v1\n".getBytes(UTF_8));
    assertThat(store.getBytes("m/LATEST"))
        .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("v1\n"));
  }

  @Test
  void fileRoundTripCreatesTheTargetFolder() throws IOException {
    Path source = Files.writeString(tmp.resolve("model.onnx"), "weights".repeat(1000));
    store.put("m/versions/v/model.onnx", source);
    Path target = tmp.resolve("out/deeper/model.onnx");
    store.download("m/versions/v/model.onnx", target);
    assertThat(target).hasSameBinaryContentAs(source);
    assertThat(target.getParent())
        .isDirectoryNotContaining(p -> !p.equals(target)); // no temporary file left
  }

  @Test
  void aConditionalWriteWinsOnlyOnTheObjectItRead() throws IOException {
    // create only when absent
    assertThat(store.putBytesIf("m/LATEST", "v1\n".getBytes(UTF_8), Optional.empty())).isTrue();
    assertThat(store.putBytesIf("m/LATEST", "v9\n".getBytes(UTF_8), Optional.empty())).isFalse();
    ObjectStore.Tagged read = store.getTagged("m/LATEST").orElseThrow();
    assertThat(new String(read.content(), UTF_8)).isEqualTo("v1\n");

    // someone else writes after our read: our write must lose, theirs stays
    store.putBytes("m/LATEST", "v2\n".getBytes(UTF_8));
    assertThat(store.putBytesIf("m/LATEST", "v3\n".getBytes(UTF_8), Optional.of(read.tag())))
        .isFalse();
    assertThat(new String(store.getBytes("m/LATEST").orElseThrow(), UTF_8)).isEqualTo("v2\n");

    // read again, then win
    String tag = store.getTagged("m/LATEST").orElseThrow().tag();
    assertThat(store.putBytesIf("m/LATEST", "v3\n".getBytes(UTF_8), Optional.of(tag))).isTrue();
    assertThat(new String(store.getBytes("m/LATEST").orElseThrow(), UTF_8)).isEqualTo("v3\n");
    assertThat(store.list("m/")).containsExactly("m/LATEST"); // no lock file listed
    assertThat(store.getTagged("m/none")).isEmpty();
  }

  @Test
  void emptyContentIsKept() throws IOException {
    store.putBytes("empty", new byte[0]);
    assertThat(store.getBytes("empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(store.listWithSizes("")).containsEntry("empty", 0L);
  }

  @Test
  void aSecondWriteReplacesTheFirst() throws IOException {
    store.putBytes("k", "old".getBytes(UTF_8));
    store.putBytes("k", "new".getBytes(UTF_8));
    assertThat(new String(store.getBytes("k").orElseThrow(), UTF_8)).isEqualTo("new");
    assertThat(store.list("")).containsExactly("k");
  }

  @Test
  void aMissingKeyReadsAsEmptyAndCannotBeDownloaded() throws IOException {
    assertThat(store.getBytes("m/nothing")).isEmpty();
    assertThatThrownBy(() -> store.download("m/nothing", tmp.resolve("x")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("m/nothing");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void listIsSortedAndFiltersByPrefix() throws IOException {
    for (String key :
        new String[] {"m/versions/b/x", "other", "m/versions/a/yy", "m2/z", "m/LATEST"}) {
      store.putBytes(key, key.getBytes(UTF_8));
    }
    assertThat(store.list(""))
        .containsExactly("m/LATEST", "m/versions/a/yy", "m/versions/b/x", "m2/z", "other");
    assertThat(store.list("m/")).containsExactly("m/LATEST", "m/versions/a/yy", "m/versions/b/x");
    assertThat(store.list("m")).contains("m2/z");
    assertThat(store.list("m/versions/")).containsExactly("m/versions/a/yy", "m/versions/b/x");
    assertThat(store.listWithSizes("m/versions/")).containsEntry("m/versions/a/yy", 15L);
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void deleteRemovesAndToleratesMissingKeys() throws IOException {
    store.putBytes("a/b", new byte[] {1});
    store.delete("a/b");
    store.delete("a/b");
    assertThat(store.getBytes("a/b")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void keysThatCouldEscapeOrBeAmbiguousAreRejected() {
    for (String bad :
        new String[] {"", "../x", "a/../../x", "/abs", "a\\b", "a//b", "a/./b", "a/", ".tmp-x"}) {
      assertThatThrownBy(() -> store.putBytes(bad, new byte[0]))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.getBytes(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ensureExistsIsIdempotent() throws IOException {
    store.putBytes("k", new byte[] {1});
    store.ensureExists();
    assertThat(store.list("")).containsExactly("k");
  }
}
