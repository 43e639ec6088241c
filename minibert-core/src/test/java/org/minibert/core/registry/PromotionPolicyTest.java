package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.minibert.core.io.Json;
import org.minibert.core.store.LocalFolderStore;

/** --promote always and if-better, and the reasons given. */
class PromotionPolicyTest extends RegistryFixture {
  static final String TEXT_A = "abcdef12" + "0".repeat(56);
  static final String TEXT_B = "98765432" + "f".repeat(56);

  static Manifest.HeldOutText text(String sha256, double loss) {
    return new Manifest.HeldOutText(sha256, loss, 0.2);
  }

  @Test
  void onTheSameTextALowerHeldOutLossIsPromotedEvenWithAWorseValidationLoss() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.0, text(TEXT_A, 5.30), Promotion.IF_BETTER);
    PublishResult b = publish(repo, 2, 4.5, text(TEXT_A, 5.12), Promotion.IF_BETTER);
    assertThat(b.promoted()).isTrue();
    assertThat(b.reason())
        .isEqualTo(
            "promoted: held-out text loss 5.12 < 5.3 of "
                + a.version()
                + " (same text, sha256 abcdef12)");
    assertThat(repo.latest()).contains(b.version());
  }

  @Test
  void onTheSameTextAWorseHeldOutLossIsKeptEvenWithABetterValidationLoss() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.5, text(TEXT_A, 5.12), Promotion.IF_BETTER);
    PublishResult b =
        publish(
            repo,
            2,
            4.0,
            text(TEXT_A.toUpperCase(java.util.Locale.ROOT), 5.30),
            Promotion.IF_BETTER);
    assertThat(b.promoted()).isFalse();
    assertThat(b.reason())
        .isEqualTo(
            "kept LATEST at "
                + a.version()
                + ": held-out text loss 5.3 is not better than 5.12 (same text, sha256 ABCDEF12)");
    assertThat(repo.latest()).contains(a.version());

    PublishResult forced = publish(repo, 3, 9.0, text(TEXT_A, 9.0), Promotion.ALWAYS);
    assertThat(forced.reason()).isEqualTo("promoted: --promote always (was " + a.version() + ")");
  }

  @Test
  void onDifferentTextsTheValidationLossDecidesAndTheReasonSaysSo() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.29, text(TEXT_A, 5.30), Promotion.IF_BETTER);
    PublishResult better = publish(repo, 2, 4.21, text(TEXT_B, 6.0), Promotion.IF_BETTER);
    assertThat(better.promoted()).isTrue();
    assertThat(better.reason())
        .isEqualTo(
            "promoted: validation loss 4.21 < 4.29 of "
                + a.version()
                + " (held-out texts differ, sha256 98765432 vs abcdef12, so validation loss"
                + " decided)");
    PublishResult worse = publish(repo, 3, 4.4, text(TEXT_A, 1.0), Promotion.IF_BETTER);
    assertThat(worse.promoted()).isFalse();
    assertThat(worse.reason())
        .isEqualTo(
            "kept LATEST at "
                + better.version()
                + ": validation loss 4.4 is not better than 4.21 (held-out texts differ, sha256"
                + " abcdef12 vs 98765432, so validation loss decided)");
    assertThat(repo.latest()).contains(better.version());
  }

  @Test
  void whenOnlyOneSideHasAHeldOutScoreTheValidationLossDecidesAsBefore() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.29, Promotion.IF_BETTER);
    PublishResult b = publish(repo, 2, 4.4, text(TEXT_A, 1.0), Promotion.IF_BETTER);
    assertThat(b.reason())
        .isEqualTo(
            "kept LATEST at " + a.version() + ": validation loss 4.4 is not better than 4.29");
    PublishResult c = publish(repo, 3, 4.21, Promotion.IF_BETTER);
    assertThat(c.reason()).isEqualTo("promoted: validation loss 4.21 < 4.29 of " + a.version());
  }

  @Test
  void theHeldOutScoreIsStoredInSnakeCaseAndAManifestWrittenBeforeItExistedStillParses()
      throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult scored =
        publish(repo, 1, 4.29, new Manifest.HeldOutText(TEXT_A, 5.3, 0.25), Promotion.IF_BETTER);
    String key = "kobert/versions/" + scored.version() + "/manifest.json";
    JsonNode written = Json.MAPPER.readTree(local.getBytes(key).orElseThrow());
    assertThat(written.get("held_out_text").get("sha256").asText()).isEqualTo(TEXT_A);
    assertThat(written.get("held_out_text").get("mlm_loss").asDouble()).isEqualTo(5.3);
    assertThat(written.get("held_out_text").get("top1").asDouble()).isEqualTo(0.25);
    assertThat(repo.manifest(scored.version())).isEqualTo(scored.manifest());

    // what the registry wrote before the field existed: the same manifest without the key
    ObjectNode old = ((ObjectNode) written.deepCopy());
    old.remove("held_out_text");
    local.putBytes(key, Json.MAPPER.writeValueAsBytes(old));
    Manifest parsed = repo.manifest(scored.version());
    assertThat(parsed.heldOutText()).isNull();
    assertThat(parsed.validationLoss()).isEqualTo(4.29);
    assertThat(repo.versions())
        .extracting(VersionInfo::id, VersionInfo::complete, VersionInfo::latest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(scored.version(), true, true));

    PublishResult next = publish(repo, 2, 4.21, text(TEXT_A, 9.0), Promotion.IF_BETTER);
    assertThat(next.reason())
        .isEqualTo("promoted: validation loss 4.21 < 4.29 of " + scored.version());
  }

  @Test
  void ifBetterPromotesALowerLossAndKeepsLatestOtherwise() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult a = publish(repo, 1, 4.29, Promotion.IF_BETTER);
    PublishResult b = publish(repo, 2, 4.21, Promotion.IF_BETTER);
    assertThat(b.reason()).isEqualTo("promoted: validation loss 4.21 < 4.29 of " + a.version());
    PublishResult same = publish(repo, 3, 4.21, Promotion.IF_BETTER);
    assertThat(same.promoted()).isFalse();
    assertThat(same.reason())
        .isEqualTo(
            "kept LATEST at " + b.version() + ": validation loss 4.21 is not better than 4.21");
    PublishResult worse = publish(repo, 4, 4.4, Promotion.IF_BETTER);
    assertThat(worse.promoted()).isFalse();
    assertThat(repo.latest()).contains(b.version());
    assertThat(repo.versions())
        .extracting(VersionInfo::id)
        .containsExactly(a.version(), b.version(), same.version(), worse.version());
    assertThat(repo.versions())
        .filteredOn(VersionInfo::latest)
        .extracting(VersionInfo::id)
        .containsExactly(b.version());
  }

  @Test
  void anUnknownLossNeverReplacesAKnownOneButAKnownOneReplacesAnUnknownOne() throws IOException {
    ModelRepository repo = repo(local());
    PublishResult known = publish(repo, 1, 4.3, Promotion.IF_BETTER);
    PublishResult unknown = publish(repo, 2, null, Promotion.IF_BETTER);
    assertThat(unknown.promoted()).isFalse();
    assertThat(unknown.reason())
        .isEqualTo(
            "kept LATEST at "
                + known.version()
                + ": the new version's validation loss is unknown, LATEST's is 4.3");

    PublishResult forced = publish(repo, 3, null, Promotion.ALWAYS);
    assertThat(forced.reason())
        .isEqualTo("promoted: --promote always (was " + known.version() + ")");
    PublishResult measured = publish(repo, 4, 9.9, Promotion.IF_BETTER);
    assertThat(measured.reason())
        .isEqualTo(
            "promoted: validation loss 9.9 is known, that of " + forced.version() + " is not");
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
  void ifBetterPromotesOverALatestWhoseManifestIsMissingOrUnreadable() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult first = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    local.putBytes(
        "kobert/versions/" + first.version() + "/manifest.json", "{not json".getBytes(UTF_8));
    PublishResult second = publish(repo, 2, 5.0, Promotion.IF_BETTER);
    assertThat(second.reason())
        .isEqualTo("promoted: the manifest of LATEST " + first.version() + " is unreadable");

    local.delete("kobert/versions/" + second.version() + "/manifest.json");
    PublishResult third = publish(repo, 3, 6.0, Promotion.IF_BETTER);
    assertThat(third.reason())
        .isEqualTo("promoted: LATEST " + second.version() + " has no manifest");
    assertThat(repo.latest()).contains(third.version());
  }
}
