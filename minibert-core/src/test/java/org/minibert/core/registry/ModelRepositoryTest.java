package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The facade: a round trip through every part, and the model names it accepts. */
class ModelRepositoryTest extends RegistryFixture {
  @Test
  void roundTripOnTheLocalStore() throws IOException {
    RepositoryRoundTrip.check(local(), tmp, 4096);
  }

  @Test
  void theManifestListsTheGraphsOfTheVersion() throws IOException {
    ModelRepository repo = repo(local());
    Path old = RepositoryRoundTrip.versionFolder(tmp.resolve("old"), 64, 1);
    Path both = RepositoryRoundTrip.versionFolder(tmp.resolve("both"), 64, 2);
    Files.write(both.resolve(ModelLayout.MODEL_SERVING_ONNX), new byte[32]);

    Manifest a = repo.publish(old, RepositoryRoundTrip.details(4.0), Promotion.ALWAYS).manifest();
    Manifest b = repo.publish(both, RepositoryRoundTrip.details(4.0), Promotion.ALWAYS).manifest();

    assertThat(a.graphs()).extracting(Manifest.Graph::file).containsExactly("model.onnx");
    assertThat(b.graphs())
        .extracting(Manifest.Graph::file)
        .containsExactly("model.onnx", "model.serving.onnx");
    assertThat(b.graphs().get(1).inputs()).contains(OnnxContract.MASK_POSITIONS);
    assertThat(b.graphs().get(1).outputs()).contains(OnnxContract.MASK_LOG_PROBS);
    assertThat(b.graphs().get(1).purpose()).isNotBlank();
    assertThat(repo.manifest(b.version())).isEqualTo(b);
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
