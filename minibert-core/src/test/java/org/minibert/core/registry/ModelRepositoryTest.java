package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minibert.core.registry.RepositoryRoundTrip.details;
import static org.minibert.core.registry.RepositoryRoundTrip.versionFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.io.Json;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;

class ModelRepositoryTest {
  @TempDir Path tmp;

  /** A clock one minute further on each time it is read, so ids of successive publishes sort in order. */
  final Clock clock = new Clock() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");

    @Override
    public Instant instant() {
      now = now.plus(Duration.ofMinutes(1));
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  };

  LocalFolderStore local() {
    return new LocalFolderStore(tmp.resolve("store"));
  }

  ModelRepository repo(ObjectStore store) {
    return new ModelRepository(store, "kobert", clock);
  }

  PublishResult publish(ModelRepository repo, int n, Double loss, Promotion promotion) throws IOException {
    return repo.publish(versionFolder(tmp.resolve("export-" + n), 2048, n), details(loss), promotion);
  }

  @Test
  void roundTripOnTheLocalStore() throws IOException {
    RepositoryRoundTrip.check(local(), tmp, 4096);
  }

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
  void ifBetterPromotesALowerLossAndKeepsLatestOtherwise() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.29, Promotion.IF_BETTER);
    PublishResult b = publish(repo, 2, 4.21, Promotion.IF_BETTER);
    assertThat(b.reason()).isEqualTo("promoted: validation loss 4.21 < 4.29 of " + a.version());
    PublishResult same = publish(repo, 3, 4.21, Promotion.IF_BETTER);
    assertThat(same.promoted()).isFalse();
    assertThat(same.reason()).isEqualTo("kept LATEST at " + b.version() + ": validation loss 4.21 is not better than 4.21");
    PublishResult worse = publish(repo, 4, 4.4, Promotion.IF_BETTER);
    assertThat(worse.promoted()).isFalse();
    assertThat(repo.latest()).contains(b.version());
    assertThat(repo.versions()).extracting(VersionInfo::id)
        .containsExactly(a.version(), b.version(), same.version(), worse.version());
    assertThat(repo.versions()).filteredOn(VersionInfo::latest).extracting(VersionInfo::id).containsExactly(b.version());
  }

  @Test
  void anUnknownLossNeverReplacesAKnownOneButAKnownOneReplacesAnUnknownOne() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult known = publish(repo, 1, 4.3, Promotion.IF_BETTER);
    PublishResult unknown = publish(repo, 2, null, Promotion.IF_BETTER);
    assertThat(unknown.promoted()).isFalse();
    assertThat(unknown.reason()).isEqualTo(
        "kept LATEST at " + known.version() + ": the new version's validation loss is unknown, LATEST's is 4.3");

    PublishResult forced = publish(repo, 3, null, Promotion.ALWAYS);
    assertThat(forced.reason()).isEqualTo("promoted: --promote always (was " + known.version() + ")");
    PublishResult measured = publish(repo, 4, 9.9, Promotion.IF_BETTER);
    assertThat(measured.reason()).isEqualTo("promoted: validation loss 9.9 is known, that of " + forced.version() + " is not");
  }

  @Test
  void alwaysPromotesAWorseVersion() throws IOException {
    ModelRepository repo = repo(local());
    publish(repo, 1, 4.0, Promotion.IF_BETTER);
    PublishResult worse = publish(repo, 2, 5.0, Promotion.ALWAYS);
    assertThat(worse.promoted()).isTrue();
    assertThat(repo.latest()).contains(worse.version());
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
  void fetchRefusesAFileCorruptedInTheStoreAndLeavesNoCopy() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path stored = tmp.resolve("store/kobert/versions").resolve(published.version()).resolve("tokenizer.json");
    byte[] bytes = Files.readAllBytes(stored);
    bytes[0] ^= 1;
    Files.write(stored, bytes);

    Path cache = tmp.resolve("cache");
    assertThatThrownBy(() -> repo.fetch(published.version(), cache))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(stored.toString() + ": checksum mismatch");
    assertThat(cache.resolve("kobert")).isEmptyDirectory();
  }

  @Test
  void fetchReusesAVerifiedCopyAndRepairsADamagedOne() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    Path cache = tmp.resolve("cache");
    Path copy = repo.fetch(published.version(), cache);
    Path model = copy.resolve("model.onnx");
    long written = Files.getLastModifiedTime(model).toMillis();

    assertThat(repo.fetch(published.version(), cache)).isEqualTo(copy);
    assertThat(Files.getLastModifiedTime(model).toMillis()).isEqualTo(written);

    Files.writeString(model, "damaged");
    assertThat(repo.fetch(published.version(), cache)).isEqualTo(copy);
    assertThat(model).hasSameBinaryContentAs(tmp.resolve("export-1/model.onnx"));
  }

  @Test
  void aManifestListingAPathOutsideItsVersionIsRefused() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    String key = "kobert/versions/" + published.version() + "/manifest.json";
    String evil = new String(local.getBytes(key).orElseThrow(), UTF_8).replace("\"config.json\"", "\"../../../evil\"");
    local.putBytes(key, evil.getBytes(UTF_8));

    assertThatThrownBy(() -> repo.fetch(published.version(), tmp.resolve("cache")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("lists an invalid path");
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void versionsExplainsWhatIsWrongWithEachIncompleteVersion() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult truncated = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    PublishResult missing = publish(repo, 2, 4.0, Promotion.IF_BETTER);
    PublishResult garbled = publish(repo, 3, 4.0, Promotion.IF_BETTER);
    local.putBytes("kobert/versions/" + truncated.version() + "/model.onnx", new byte[10]);
    local.delete("kobert/versions/" + missing.version() + "/config.json");
    local.putBytes("kobert/versions/" + garbled.version() + "/manifest.json", "{not json".getBytes(UTF_8));

    assertThat(repo.versions()).extracting(VersionInfo::problem).containsExactly(
        "model.onnx has 10 bytes, not 2048", "config.json is missing", "unreadable manifest.json");
  }

  @Test
  void manifestsAreSnakeCaseJson() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult published = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    var json = Json.MAPPER.readTree(tmp.resolve("store/kobert/versions/" + published.version() + "/manifest.json").toFile());
    assertThat(json.get("format_version").asInt()).isEqualTo(Manifest.FORMAT_VERSION);
    assertThat(json.get("validation_loss").asDouble()).isEqualTo(4.0);
    assertThat(json.get("files").get(0).get("sha256").asText()).hasSize(64);
  }

  @Test
  void anEmptyStoreHasNoVersionsAndTheManifestOfAMissingVersionIsAClearError() throws IOException {
    ModelRepository repo = repo(local());
    assertThat(repo.latest()).isEmpty();
    assertThat(repo.versions()).isEmpty();
    assertThatThrownBy(() -> repo.manifest("20261126T120000Z-abcdef"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 20261126T120000Z-abcdef of kobert is missing or incomplete");
  }

  @Test
  void invalidModelNamesAreRejected() {
    for (String bad : new String[] {"", "KoBERT", "-x", "a/b", "..", "x".repeat(65)}) {
      assertThatThrownBy(() -> new ModelRepository(local(), bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new ModelRepository(local(), "kobert-mini_v2.1").model()).isEqualTo("kobert-mini_v2.1");
  }
}
