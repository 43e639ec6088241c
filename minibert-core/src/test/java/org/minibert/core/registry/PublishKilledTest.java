package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.ObjectStore;
import org.minibert.core.store.StoreException;

/**
 * A publish killed after each of its steps (every file upload, the manifest, each read-back of the
 * verification, LATEST, the history): the store stays consistent, LATEST unchanged or on the new
 * version, complete and verified, and publishing again works.
 */
class PublishKilledTest extends RegistryFixture {
  /**
   * The folder store: the steps are the same on S3 (the publisher only sees {@link ObjectStore}),
   * and LatestMovesTest covers the S3 conditional writes; S3Proxy would make this loop slow.
   */
  ObjectStore open(int n) {
    return new LocalFolderStore(tmp.resolve("store-" + n));
  }

  /**
   * A writer killed while holding the registry lock blocks the next one for its lease: short here.
   */
  @Override
  ModelRepository repo(ObjectStore store) {
    return new ModelRepository(store, "kobert", clock, Duration.ofMillis(300));
  }

  @Test
  void aPublishKilledAfterAnyStepLeavesAConsistentStore() throws IOException {
    List<String> steps;
    try (ObjectStore clean = open(-1)) {
      publish(repo(clean), 1, 5.0, Promotion.IF_BETTER);
      FaultyStore counting = new FaultyStore(clean);
      publish(repo(counting), 2, 4.0, Promotion.IF_BETTER);
      steps = List.copyOf(counting.calls());
    }
    assertThat(steps)
        .anyMatch(s -> s.startsWith("put ") && s.endsWith("/model.onnx"))
        .anyMatch(s -> s.startsWith("putBytes ") && s.endsWith("/manifest.json"))
        .anyMatch(s -> s.startsWith("download ") || s.startsWith("open "))
        .anyMatch(s -> s.equals("putBytesIf kobert/LATEST"))
        .anyMatch(s -> s.equals("putBytesIf kobert/HISTORY.json"))
        .anyMatch(s -> s.equals("putBytesIf kobert/REGISTRY.lock"));
    int latestMoved = steps.indexOf("putBytesIf kobert/LATEST");

    for (int k = 0; k < steps.size(); k++) {
      String killedBefore = steps.get(k);
      try (ObjectStore store = open(k)) {
        ModelRepository repo = repo(store);
        String old = publish(repo, 1, 5.0, Promotion.IF_BETTER).version();

        ModelRepository dying = repo(new FaultyStore(store).killAfterCalls(k));
        if (k > latestMoved) {
          // LATEST has moved: a history or lock that cannot be written is a warning, not a failed
          // publish
          assertThat(publish(dying, 2, 4.0, Promotion.IF_BETTER).promoted()).isTrue();
        } else {
          assertThatThrownBy(() -> publish(dying, 2, 4.0, Promotion.IF_BETTER))
              .as("killed before %s", killedBefore)
              .isInstanceOf(StoreException.class);
        }

        Optional<String> latest = repo.latest();
        assertThat(latest).as("after a kill before %s", killedBefore).isPresent();
        if (!latest.get().equals(old)) {
          assertThat(k).as("LATEST moved only by its own write").isGreaterThan(latestMoved);
        }
        // whatever LATEST names is complete and verifies file by file
        repo.fetch(latest.get(), tmp.resolve("cache-" + k));
        assertThat(repo.versions())
            .filteredOn(VersionInfo::latest)
            .singleElement()
            .satisfies(v -> assertThat(v.complete()).isTrue());

        // publishing again works, and is promoted over whatever the kill left
        PublishResult again = publish(repo, 3, 3.0, Promotion.IF_BETTER);
        assertThat(again.promoted()).as(again.reason()).isTrue();
        assertThat(repo.latest()).contains(again.version());
        repo.fetch(again.version(), tmp.resolve("cache-again-" + k));
      }
    }
  }
}
