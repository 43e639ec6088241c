package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.S3ObjectStore;
import org.minibert.core.store.S3ProxyServer;

/**
 * LATEST as compare-and-set, a damaged LATEST, and promote / rollback / prune with their history,
 * on the folder store and on S3 (S3Proxy in-process).
 */
class LatestMovesTest extends RegistryFixture {
  ObjectStore open(String kind) {
    return kind.equals("s3") ? new S3ObjectStore(S3ProxyServer.settings()) : local();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aRacingBetterPublishIsNotOverwrittenByAWorseOne(String kind) throws IOException {
    try (ObjectStore store = open(kind)) {
      ModelRepository repo = repo(store);
      PublishResult first = publish(repo, 1, 5.0, Promotion.IF_BETTER);
      PublishResult[] better = new PublishResult[1];
      // the slower publisher reads LATEST (5.0, so its 4.5 would win); before it writes, another
      // publisher promotes 4.0
      ModelRepository slow =
          repo(
              new FaultyStore(store)
                  .afterFirstRead(
                      "/LATEST", () -> better[0] = publish(repo, 2, 4.0, Promotion.IF_BETTER)));
      PublishResult worse = publish(slow, 3, 4.5, Promotion.IF_BETTER);

      assertThat(better[0].promoted()).isTrue();
      assertThat(worse.promoted()).as(worse.reason()).isFalse();
      assertThat(worse.reason())
          .isEqualTo(
              "kept LATEST at "
                  + better[0].version()
                  + ": validation loss 4.5 is not better than 4");
      assertThat(repo.latest()).contains(better[0].version());
      assertThat(first.promoted()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aDamagedOrEmptyLatestDoesNotBlockPublishing(String kind) throws IOException {
    try (ObjectStore store = open(kind)) {
      ModelRepository repo = repo(store);
      store.ensureExists();
      store.putBytes("kobert/LATEST", new byte[0]);
      PublishResult a = publish(repo, 1, 5.0, Promotion.IF_BETTER);
      assertThat(a.promoted()).isTrue();
      assertThat(a.reason())
          .isEqualTo("promoted: warning: LATEST is empty, not a version id; treated as no LATEST");

      store.putBytes("kobert/LATEST", "<html>oops".getBytes(UTF_8));
      PublishResult b = publish(repo, 2, 9.0, Promotion.ALWAYS);
      assertThat(b.reason())
          .isEqualTo(
              "promoted: --promote always (warning: LATEST holds '<html>oops', not a version id)");
      assertThat(repo.latest()).contains(b.version());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void promoteRollbackAndPruneFollowTheHistory(String kind) throws IOException {
    try (ObjectStore store = open(kind)) {
      ModelRepository repo = repo(store);
      String a = publish(repo, 1, 5.0, Promotion.IF_BETTER).version();
      String b = publish(repo, 2, 4.0, Promotion.IF_BETTER).version();
      String c = publish(repo, 3, 3.0, Promotion.IF_BETTER).version();
      String d = publish(repo, 4, 9.0, Promotion.IF_BETTER).version(); // not promoted
      assertThat(repo.latest()).contains(c);
      assertThat(repo.rollbackTarget()).contains(b);

      assertThat(repo.rollback()).isEqualTo("rolled back from " + c + " to " + b);
      assertThat(repo.latest()).contains(b);
      assertThat(repo.rollbackTarget()).contains(a); // a second rollback goes one further back

      assertThat(repo.promote(d)).isEqualTo("promoted " + d + " (was " + b + ")");
      assertThat(repo.rollbackTarget()).contains(b);

      // keep 1: d is the newest and LATEST, b the rollback target; a and c go
      assertThat(repo.prune(1)).containsExactly(a, c);
      assertThat(repo.versions()).extracting(VersionInfo::id).containsExactly(b, d);
      assertThat(repo.versions()).allSatisfy(v -> assertThat(v.complete()).isTrue());
      assertThat(repo.rollback()).isEqualTo("rolled back from " + d + " to " + b);
      assertThatThrownBy(repo::rollback)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing to roll back to");
      assertThat(repo.latest()).contains(b);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void promoteChecksTheVersionsFilesFirst(String kind) throws IOException {
    try (ObjectStore store = open(kind)) {
      ModelRepository repo = repo(store);
      String a = publish(repo, 1, 5.0, Promotion.IF_BETTER).version();
      String b = publish(repo, 2, 9.0, Promotion.IF_BETTER).version();
      String onnx = "kobert/versions/" + b + "/model.onnx";
      byte[] bytes = store.getBytes(onnx).orElseThrow();
      bytes[bytes.length / 2] ^= 1;
      store.putBytes(onnx, bytes);
      assertThatThrownBy(() -> repo.promote(b)).hasMessageContaining("checksum mismatch");
      assertThat(repo.latest()).contains(a);
      assertThatThrownBy(() -> repo.promote("20990101T000000Z-000000"))
          .hasMessageContaining("missing or incomplete");
    }
  }

  @org.junit.jupiter.api.Test
  void theRollbackTargetReplaysTheHistoryAsAStack() {
    List<PromotionHistory.Entry> h =
        List.of(
            entry("a", "publish"),
            entry("b", "publish"),
            entry("c", "promote"),
            entry("b", "rollback"));
    assertThat(PromotionHistory.rollbackCandidates(h, "b")).containsExactly("a");
    // LATEST moved to x without an entry (the history write failed): back to the last entry
    assertThat(PromotionHistory.rollbackCandidates(h, "x")).containsExactly("b", "a");
    assertThat(PromotionHistory.rollbackCandidates(List.of(entry("a", "publish")), "a")).isEmpty();
  }

  static PromotionHistory.Entry entry(String version, String action) {
    return new PromotionHistory.Entry(version, "2026-01-01T00:00:00Z", action, "");
  }
}
