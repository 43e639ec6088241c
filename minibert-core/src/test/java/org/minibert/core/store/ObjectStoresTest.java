package org.minibert.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {
  @Test
  void s3UrisOpenAnS3StoreWithTheirPrefix() {
    try (ObjectStore store = ObjectStores.open("s3://models/team/kobert/")) {
      assertThat(store).isInstanceOf(S3ObjectStore.class);
      assertThat(store.uri()).isEqualTo("s3://models/team/kobert");
    }
    try (ObjectStore store = ObjectStores.open("s3://models")) {
      assertThat(store.uri()).isEqualTo("s3://models");
    }
  }

  @Test
  void anythingElseIsALocalFolderWithADefault() {
    try (ObjectStore store = ObjectStores.open(null)) {
      assertThat(store.uri()).isEqualTo(Path.of("model-store").toAbsolutePath().toString());
    }
    try (ObjectStore store = ObjectStores.open("/srv/models")) {
      assertThat(store).isInstanceOf(LocalFolderStore.class);
      assertThat(store.uri()).isEqualTo("/srv/models");
    }
    try (ObjectStore store = ObjectStores.open("file:///srv/models")) {
      assertThat(store.uri()).isEqualTo("/srv/models");
    }
  }

  @Test
  void malformedUrisSayWhatIsExpected() {
    assertThatThrownBy(() -> ObjectStores.open("s3://"))
        .hasMessageContaining("names no bucket: use s3://bucket[/prefix]");
    assertThatThrownBy(() -> ObjectStores.open("s3:///prefix"))
        .hasMessageContaining("names no bucket");
    assertThatThrownBy(() -> ObjectStores.open("s3://My_Bucket"))
        .hasMessageContaining("'My_Bucket' is not a valid S3 bucket name");
    assertThatThrownBy(() -> ObjectStores.open("s3://models/a/../b"))
        .hasMessageContaining("invalid prefix");
    assertThatThrownBy(() -> ObjectStores.open("gs://models"))
        .hasMessageContaining("unsupported store 'gs://models'");
  }
}
