package org.minibert.inference.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Store specifications and store errors lose their credentials before they are logged. */
class RedactionTest {

  @Test
  void userInformationAndQueriesOfUrisAreRemoved() {
    assertThat(
            Redaction.redact(
                "unsupported store 's3://AKIAEXAMPLE:s3cr3t@minio:9000/models': use s3://bucket"))
        .isEqualTo("unsupported store 's3://***@minio:9000/models': use s3://bucket");
    assertThat(
            Redaction.redact(
                "GET https://bucket.s3.amazonaws.com/LATEST?X-Amz-Signature=abc&X-Amz-Credential=k"
                    + " failed"))
        .isEqualTo("GET https://bucket.s3.amazonaws.com/LATEST?*** failed");
    assertThat(Redaction.redact("no such object minibert/LATEST in /srv/store"))
        .isEqualTo("no such object minibert/LATEST in /srv/store");
    assertThat(Redaction.redact(null)).isNull();
  }
}
