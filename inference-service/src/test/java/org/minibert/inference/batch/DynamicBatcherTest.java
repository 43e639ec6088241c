package org.minibert.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  @Test
  void collectsConcurrentJobsIntoBatchesUpToMaxSize() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(10);
    CountDownLatch release = new CountDownLatch(1);
    try (DynamicBatcher<Integer> batcher =
        new DynamicBatcher<>(
            "t",
            100,
            4,
            Duration.ofMillis(50),
            1,
            1,
            batch -> {
              await(release);
              sizes.add(batch.size());
              batch.forEach(j -> done.countDown());
            },
            (job, e) -> {},
            (size, nanos) -> {})) {
      for (int i = 0; i < 10; i++) {
        batcher.submit(i);
      }
      release.countDown();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 4));
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    assertThat(sizes).contains(4);
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (DynamicBatcher<Integer> batcher =
        new DynamicBatcher<>(
            "t",
            2,
            1,
            Duration.ZERO,
            1,
            3,
            batch -> {
              started.countDown();
              await(release);
            },
            (job, e) -> {},
            (size, nanos) -> {})) {
      batcher.submit(0);
      started.await(5, TimeUnit.SECONDS); // the worker holds job 0
      batcher.submit(1);
      batcher.submit(2);
      assertThat(batcher.queueDepth()).isEqualTo(2);
      assertThatThrownBy(() -> batcher.submit(3))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("at capacity")
          .satisfies(e -> assertThat(((QueueFullException) e).retryAfterSeconds()).isEqualTo(3));
      release.countDown();
    }
  }

  @Test
  void aFailingBatchFailsEachOfItsJobs() throws Exception {
    List<Integer> failed = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    try (DynamicBatcher<Integer> batcher =
        new DynamicBatcher<>(
            "t",
            10,
            8,
            Duration.ofMillis(20),
            1,
            1,
            batch -> {
              throw new IllegalStateException("boom");
            },
            (job, e) -> {
              failed.add(job);
              done.countDown();
            },
            (size, nanos) -> {})) {
      batcher.submit(1);
      batcher.submit(2);
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failed).containsExactlyInAnyOrder(1, 2);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
