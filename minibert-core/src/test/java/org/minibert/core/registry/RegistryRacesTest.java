package org.minibert.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.minibert.core.store.ObjectStore;

/**
 * Writers racing on one model, many times over: a prune beside a promote or a rollback never leaves
 * LATEST (or the rollback target) on a deleted version, and HISTORY.json lists promotions in the
 * order LATEST took them.
 */
class RegistryRacesTest extends RegistryFixture {
  static final int ROUNDS = 30;

  @Test
  void pruneNeverDeletesWhatAConcurrentPromoteOrRollbackPointsLatestAt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (ObjectStore store = local()) {
      int brokenRounds = 0;
      for (int round = 0; round < ROUNDS; round++) {
        ModelRepository repo = new ModelRepository(store, "race-" + round, clock);
        List<String> v = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          v.add(publish(repo, round * 10 + i, 5.0 - i, Promotion.ALWAYS).version());
        }
        // LATEST = v3, rollback target v2; keep 1 would delete v0 and v1
        CyclicBarrier start = new CyclicBarrier(3);
        String promoted = v.get(round % 2); // an old version that only the race can save
        List<Future<?>> done =
            List.of(
                pool.submit(quietly(start, () -> repo.promote(promoted))),
                pool.submit(quietly(start, () -> repo.prune(1))),
                pool.submit(quietly(start, round % 3 == 0 ? repo::rollback : repo::latest)));
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        String latest = repo.latest().orElseThrow();
        if (!isComplete(repo, latest)) {
          brokenRounds++;
          continue;
        }
        Optional<String> target = repo.rollbackTarget();
        if (target.isPresent() && !isComplete(repo, target.get())) {
          brokenRounds++;
        }
      }
      assertThat(brokenRounds)
          .as("rounds whose LATEST or rollback target lost files to the prune")
          .isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void historyListsPromotionsInTheOrderLatestTookThem() throws Exception {
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (ObjectStore local = local()) {
      int outOfOrder = 0;
      for (int round = 0; round < ROUNDS / 2; round++) {
        LatestWrites store = new LatestWrites(local);
        ModelRepository repo = new ModelRepository(store, "order-" + round, clock);
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          versions.add(publish(repo, round * 10 + i, 9.0, Promotion.IF_BETTER).version());
        }
        store.writes.clear();
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<?>> done = new ArrayList<>();
        for (String version : versions) {
          done.add(pool.submit(quietly(start, () -> repo.promote(version))));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        List<String> history =
            new PromotionHistory(new StoredVersions(local, repo.model()))
                .entries().stream()
                    .filter(e -> e.action().equals(PromotionHistory.PROMOTE))
                    .map(PromotionHistory.Entry::version)
                    .toList();
        if (!history.equals(store.writes)) {
          outOfOrder++;
        }
        assertThat(repo.latest()).contains(store.writes.get(store.writes.size() - 1));
      }
      assertThat(outOfOrder).as("rounds whose history is out of LATEST's order").isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether the version's manifest and every file it lists are in the store, sizes included. */
  private static boolean isComplete(ModelRepository repo, String version) throws IOException {
    return repo.versions().stream().anyMatch(i -> i.id().equals(version) && i.complete());
  }

  /** Runs after the barrier; a refusal (the version was pruned first, ...) is a valid outcome. */
  private static Callable<Void> quietly(CyclicBarrier start, Callable<?> action) {
    return () -> {
      start.await(30, TimeUnit.SECONDS);
      try {
        action.call();
      } catch (IOException | IllegalArgumentException refused) {
        // lost the race: refusing is allowed, breaking LATEST is not
      }
      return null;
    };
  }

  /** A store that records, in order, each version a compare-and-set wrote to a LATEST. */
  static final class LatestWrites implements ObjectStore {
    final ObjectStore delegate;
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());

    LatestWrites(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized boolean putBytesIf(String key, byte[] content, Optional<String> expected)
        throws IOException {
      boolean written = delegate.putBytesIf(key, content, expected);
      if (written && key.endsWith("/" + ModelLayout.LATEST)) {
        writes.add(new String(content, java.nio.charset.StandardCharsets.UTF_8).strip());
      }
      return written;
    }

    @Override
    public void put(String key, Path file) throws IOException {
      delegate.put(key, file);
    }

    @Override
    public void putBytes(String key, byte[] content) throws IOException {
      delegate.putBytes(key, content);
    }

    @Override
    public Optional<byte[]> getBytes(String key) throws IOException {
      return delegate.getBytes(key);
    }

    @Override
    public Optional<Tagged> getTagged(String key) throws IOException {
      return delegate.getTagged(key);
    }

    @Override
    public void download(String key, Path target) throws IOException {
      delegate.download(key, target);
    }

    @Override
    public InputStream open(String key) throws IOException {
      return delegate.open(key);
    }

    @Override
    public SortedMap<String, Long> listWithSizes(String prefix) throws IOException {
      return delegate.listWithSizes(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }

    @Override
    public void ensureExists() throws IOException {
      delegate.ensureExists();
    }

    @Override
    public String uri() {
      return delegate.uri();
    }

    @Override
    public void close() {}
  }
}
