package org.minibert.core.registry;

import static org.minibert.core.registry.RepositoryRoundTrip.details;
import static org.minibert.core.registry.RepositoryRoundTrip.versionFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.minibert.core.store.LocalFolderStore;
import org.minibert.core.store.ObjectStore;

/**
 * A model "kobert" in a folder store under a temporary folder, published with a clock that steps on
 * each read.
 */
abstract class RegistryFixture {
  @TempDir Path tmp;

  /**
   * A clock one minute further on each time it is read, so ids of successive publishes sort in
   * order.
   */
  final Clock clock =
      new Clock() {
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

  PublishResult publish(ModelRepository repo, int n, Double loss, Promotion promotion)
      throws IOException {
    return publish(repo, n, loss, null, promotion);
  }

  PublishResult publish(
      ModelRepository repo, int n, Double loss, Manifest.HeldOutText text, Promotion promotion)
      throws IOException {
    return repo.publish(
        versionFolder(tmp.resolve("export-" + n), 2048, n), details(loss, text), promotion);
  }
}
