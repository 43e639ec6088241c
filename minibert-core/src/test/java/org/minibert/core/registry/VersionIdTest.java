package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionIdTest {
  @Test
  void idsCarryTheUtcSecondAndSixHexDigits() {
    String id = VersionId.create(Instant.parse("2026-11-26T12:35:19.987Z"), new Random(1));
    assertThat(id).matches("20261126T123519Z-[0-9a-f]{6}");
    assertThat(VersionId.isValid(id)).isTrue();
    assertThat(VersionId.timestamp(id)).isEqualTo(Instant.parse("2026-11-26T12:35:19Z"));
  }

  @Test
  void idsSortByCreationTimeAsPlainStrings() {
    Random random = new Random(2);
    String earlier = VersionId.create(Instant.parse("2026-09-30T23:59:59Z"), random);
    String later = VersionId.create(Instant.parse("2026-10-01T00:00:00Z"), random);
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void malformedIdsAreRejected() {
    for (String bad :
        new String[] {
          "",
          "latest",
          "20261126T123519Z",
          "20261126T123519Z-3FA9C1",
          "20261126T123519Z-3fa9c",
          "20261326T123519Z-3fa9c1",
          "20261126T123519Z-3fa9c1/..",
          "../20261126T123519Z-3fa9c1"
        }) {
      assertThat(VersionId.isValid(bad)).as(bad).isFalse();
    }
    assertThat(VersionId.isValid(null)).isFalse();
    assertThatThrownBy(() -> VersionId.check("v1"))
        .hasMessageContaining("'v1' is not a version id");
  }
}
