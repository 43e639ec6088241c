package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minibert.core.io.Json;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.StoreException;

/** The publish protocol: what a publish writes, and what a failing one leaves behind. */
class VersionPublisherTest extends RegistryFixture {
  @Test
  void theFirstVersionIsPromotedAndLatestIsOneLine() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult first = publish(repo, 1, 4.5, Promotion.IF_BETTER);
    assertThat(first.promoted()).isTrue();
    assertThat(first.reason()).isEqualTo("promoted: first promoted version of kobert");
    assertThat(tmp.resolve("store/kobert/LATEST")).hasContent(first.version() + "\n");
    assertThat(first.manifest().createdAt()).isEqualTo("2026-11-26T12:01:00Z");
    assertThat(first.version()).startsWith("20261126T120100Z-");
  }

  @Test
  void anUploadFailingHalfWayLeavesLatestAndShowsAnIncompleteVersion() throws IOException {
    LocalFolderStore local = local();
    PublishResult good = publish(repo(local), 1, 4.5, Promotion.IF_BETTER);
    ModelRepository failing = repo(new FaultyStore(local).failAfterPuts(2));

    assertThatThrownBy(() -> publish(failing, 2, 1.0, Promotion.ALWAYS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("connection reset");

    ModelRepository repo = repo(local);
    assertThat(repo.latest()).contains(good.version());
    List<VersionInfo> versions = repo.versions();
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).complete()).isTrue();
    assertThat(versions.get(1).complete()).isFalse();
    assertThat(versions.get(1).problem()).isEqualTo("no manifest.json");
    assertThat(versions.get(1).createdAt()).isEqualTo(Instant.parse("2026-11-26T12:02:00Z"));
  }

  @Test
  void aFileCorruptedOnTheWayFailsVerificationNamingItAndIsNotPromoted() throws IOException {
    LocalFolderStore local = local();
    ModelRepository corrupting = repo(new FaultyStore(local).corruptOnPut("/model.onnx"));

    assertThatThrownBy(() -> publish(corrupting, 1, 4.0, Promotion.ALWAYS))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("model.onnx: checksum mismatch")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

    ModelRepository repo = repo(local);
    assertThat(repo.latest()).isEmpty();
    assertThat(repo.versions()).singleElement().satisfies(v -> assertThat(v.complete()).isFalse());
  }

  @Test
  void manifestsAreSnakeCaseJson() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    var json =
        Json.MAPPER.readTree(
            tmp.resolve("store/kobert/versions/" + published.version() + "/manifest.json")
                .toFile());
    assertThat(json.get("format_version").asInt()).isEqualTo(Manifest.FORMAT_VERSION);
    assertThat(json.get("validation_loss").asDouble()).isEqualTo(4.0);
    assertThat(json.get("files").get(0).get("sha256").asText()).hasSize(64);
  }
}
