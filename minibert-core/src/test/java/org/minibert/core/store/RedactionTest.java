package org.minibert.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Credentials someone put into a store URL never come back in a message. */
class RedactionTest {
  @Test
  void userinfoIsRedacted() {
    assertThat(Redaction.redact("http://user:pa55@minio:9000/x"))
        .isEqualTo("http://***@minio:9000/x");
    assertThat(Redaction.redact("s3://AKIAEXAMPLE:se/cr+et@bucket/models"))
        .isEqualTo("s3://***@bucket/models");
    assertThat(Redaction.redact("s3://bucket/models")).isEqualTo("s3://bucket/models");
    assertThat(Redaction.redact("./model-store")).isEqualTo("./model-store");
  }

  @Test
  void storeSpecsWithCredentialsAreRejectedWithoutEchoingThem() {
    for (String spec :
        new String[] {
          "s3://AKIAEXAMPLE:s3cr3t@bucket/models",
          "s3://AKIAEXAMPLE:se/cr3t@bucket/models",
          "gs://AKIAEXAMPLE:s3cr3t@bucket/models"
        }) {
      assertThatThrownBy(() -> ObjectStores.open(spec))
          .as(spec)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain("s3cr3t", "se/cr3t", "AKIAEXAMPLE")
                      .contains("***@"));
    }
  }

  @Test
  void anEndpointWithCredentialsIsRedactedInMessages() {
    var settings =
        S3ProxyServer.settings().withEndpoint(URI.create("http://user:s3cr3t@127.0.0.1:1"));
    try (S3ObjectStore store = new S3ObjectStore(settings)) {
      assertThat(store.endpoint()).isEqualTo("http://***@127.0.0.1:1");
      assertThatThrownBy(() -> store.list(""))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }
  }
}
