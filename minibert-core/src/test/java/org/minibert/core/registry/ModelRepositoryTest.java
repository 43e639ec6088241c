package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The facade: a round trip through every part, and the model names it accepts. */
class ModelRepositoryTest extends RegistryFixture {
  @Test
  void roundTripOnTheLocalStore() throws IOException {
    RepositoryRoundTrip.check(local(), tmp, 4096);
  }

  @Test
  void invalidModelNamesAreRejected() {
    for (String bad : new String[] {"", "KoBERT", "-x", "a/b", "..", "x".repeat(65)}) {
      assertThatThrownBy(() -> new ModelRepository(local(), bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new ModelRepository(local(), "kobert-mini_v2.1").model())
        .isEqualTo("kobert-mini_v2.1");
  }
}
