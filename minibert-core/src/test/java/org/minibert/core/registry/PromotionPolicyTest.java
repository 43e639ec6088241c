package org.minibert.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.LocalFolderStore;

/** --promote always and if-better, and the reasons given. */
class PromotionPolicyTest extends RegistryFixture {
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
  void ifBetterPromotesOverALatestWhoseManifestIsMissingOrUnreadable() throws IOException {
    LocalFolderStore local = local();
    ModelRepository repo = repo(local);
    PublishResult first = publish(repo, 1, 4.0, Promotion.IF_BETTER);
    local.putBytes("kobert/versions/" + first.version() + "/manifest.json", "{not json".getBytes(UTF_8));
    PublishResult second = publish(repo, 2, 5.0, Promotion.IF_BETTER);
    assertThat(second.reason()).isEqualTo("promoted: the manifest of LATEST " + first.version() + " is unreadable");

    local.delete("kobert/versions/" + second.version() + "/manifest.json");
    PublishResult third = publish(repo, 3, 6.0, Promotion.IF_BETTER);
    assertThat(third.reason()).isEqualTo("promoted: LATEST " + second.version() + " has no manifest");
    assertThat(repo.latest()).contains(third.version());
  }
}
