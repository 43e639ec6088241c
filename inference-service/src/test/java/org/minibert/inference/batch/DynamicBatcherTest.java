package org.minibert.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  /** A job of {@code length} tokens whose answer is a future, as the service's jobs. */
  static final class TestJob extends Batchable {
    final int id;
    final int length;
    final CompletableFuture<String> result = new CompletableFuture<>();

    TestJob(int id, int length) {
      this.id = id;
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public String toString() {
      return "job " + id;
    }
  }

  private static DynamicBatcher<TestJob> batcher(
      int capacity,
      int maxSize,
      int maxTokens,
      Duration delay,
      Duration timeout,
      Consumer<List<TestJob>> processor) {
    return new DynamicBatcher<>(
        "t",
        new DynamicBatcher.Settings(capacity, maxSize, maxTokens, delay, 1, 3, timeout),
        processor,
        (job, e) -> job.result.completeExceptionally(e),
        (size, tokens) -> {});
  }

  private static List<TestJob> jobs(int count, int length) {
    List<TestJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(new TestJob(i, length));
    }
    return jobs;
  }

  @Test
  void collectsConcurrentJobsIntoBatchesUpToMaxSize() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    List<TestJob> jobs = jobs(10, 5);
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            100,
            4,
            10_000,
            Duration.ofMillis(50),
            Duration.ofSeconds(30),
            batch -> {
              await(release);
              sizes.add(batch.size());
              batch.forEach(j -> j.result.complete("ok"));
            })) {
      for (TestJob job : jobs) {
        batcher.submit(job);
      }
      release.countDown();
      CompletableFuture.allOf(jobs.stream().map(j -> j.result).toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
    }
    assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 4));
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    assertThat(sizes).contains(4);
  }

  @Test
  void aBatchStaysWithinItsTokenBudget() throws Exception {
    // budget 100 padded tokens: ten 10-token jobs make one batch; a 60-token job is alone with one
    // other at most (2 x 60 > 100), so it does not pad nine short ones to 60
    Map<Integer, Integer> paddedByBatch = new ConcurrentHashMap<>();
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    TestJob blocker = new TestJob(-1, 1);
    List<TestJob> jobs = new ArrayList<>(jobs(5, 10));
    jobs.add(new TestJob(5, 60));
    jobs.add(new TestJob(6, 120)); // over the budget alone: runs alone
    jobs.addAll(jobs(5, 10).stream().map(j -> new TestJob(j.id + 7, 10)).toList());
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            100,
            32,
            100,
            Duration.ofMillis(20),
            Duration.ofSeconds(30),
            batch -> {
              if (batch.contains(blocker)) {
                holding.countDown();
                await(hold);
              } else {
                batches.add(batch.stream().map(j -> j.id).toList());
                paddedByBatch.put(
                    batches.size(),
                    batch.size() * batch.stream().mapToInt(j -> j.length).max().orElse(0));
              }
              batch.forEach(j -> j.result.complete("ok"));
            })) {
      batcher.submit(blocker);
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
      batcher.submitAll(jobs); // all queued while the worker is held: batches form from the queue
      hold.countDown();
      CompletableFuture.allOf(jobs.stream().map(j -> j.result).toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
    }
    assertThat(batches.stream().flatMap(List::stream)).hasSize(12);
    assertThat(batches).contains(List.of(6));
    batches.stream()
        .filter(b -> !b.equals(List.of(6)))
        .forEach(b -> assertThat(b.size()).isLessThanOrEqualTo(10));
    paddedByBatch.forEach(
        (batch, padded) -> {
          if (!batches.get(batch - 1).equals(List.of(6))) {
            assertThat(padded)
                .as("padded tokens of batch %s", batches.get(batch - 1))
                .isLessThanOrEqualTo(100);
          }
        });
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            2,
            1,
            1000,
            Duration.ZERO,
            Duration.ofSeconds(30),
            batch -> {
              started.countDown();
              await(release);
              batch.forEach(j -> j.result.complete("ok"));
            })) {
      batcher.submit(new TestJob(0, 1));
      started.await(5, TimeUnit.SECONDS); // the worker holds job 0
      batcher.submit(new TestJob(1, 1));
      batcher.submit(new TestJob(2, 1));
      assertThat(batcher.queueDepth()).isEqualTo(2);
      assertThatThrownBy(() -> batcher.submit(new TestJob(3, 1)))
          .isInstanceOf(QueueFullException.class)
          .hasMessageContaining("at capacity")
          .satisfies(e -> assertThat(((QueueFullException) e).retryAfterSeconds()).isEqualTo(3));
      release.countDown();
    }
  }

  /**
   * The race behind a native crash: a request's jobs are refused part way while a worker is already
   * running one of them. The running job is not cancelled, so the request's resources (its model
   * version) stay held until that run is over; only the jobs no worker claimed are answered as
   * refused, and they never run.
   */
  @Test
  void aRequestRefusedPartWayKeepsItsRunningJobUntilTheRunIsOver() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    AtomicBoolean runOver = new AtomicBoolean();
    List<TestJob> request = jobs(5, 1);
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            2,
            1,
            1000,
            Duration.ZERO,
            Duration.ofSeconds(30),
            batch -> {
              batch.forEach(j -> ran.add(j.id));
              inside.countDown();
              await(finish);
              runOver.set(true);
              batch.forEach(j -> j.result.complete("ok"));
            })) {
      batcher.submit(request.get(0));
      assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue(); // job 0 is inside the model call
      // the same request again from job 0 on, as a POST of five inputs meeting a queue of two: the
      // queue takes jobs 1 and 2 only
      assertThatThrownBy(() -> batcher.submitAll(request.subList(1, 5)))
          .isInstanceOf(QueueFullException.class);
      assertThat(request.get(0).cancel()).as("a running job cannot be cancelled").isFalse();
      CompletableFuture<Void> answered =
          CompletableFuture.allOf(
              request.stream().map(j -> j.result).toArray(CompletableFuture[]::new));
      AtomicBoolean releasedDuringRun = new AtomicBoolean();
      CompletableFuture<Void> released =
          answered.handle((v, e) -> null).thenRun(() -> releasedDuringRun.set(!runOver.get()));
      assertThat(released).as("released while job 0 still runs").isNotDone();
      for (TestJob refused : request.subList(1, 5)) {
        assertThat(refused.result).isCompletedExceptionally();
      }
      finish.countDown();
      released.get(5, TimeUnit.SECONDS);
      assertThat(releasedDuringRun).isFalse();
      assertThat(request.get(0).result.get()).isEqualTo("ok");
      Thread.sleep(50);
      assertThat(ran).as("refused jobs never run").containsExactly(0);
      assertThat(batcher.queueDepth()).isZero();
    }
  }

  @Test
  void aJobStillQueuedAtItsDeadlineIsAnsweredAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    TestJob running = new TestJob(0, 1);
    TestJob waiting = new TestJob(1, 1);
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            10,
            1,
            1000,
            Duration.ZERO,
            Duration.ofMillis(200),
            batch -> {
              batch.forEach(j -> ran.add(j.id));
              started.countDown();
              await(release);
              batch.forEach(j -> j.result.complete("ok"));
            })) {
      batcher.submit(running);
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      long submitted = System.nanoTime();
      batcher.submit(waiting);
      assertThatThrownBy(() -> waiting.result.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(QueueTimeoutException.class)
          .hasMessageContaining("waited 200 ms in the queue");
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted);
      assertThat(waited)
          .as("answered at its deadline, not after the running batch")
          .isLessThan(4000);
      assertThat(running.result).isNotDone();
      release.countDown();
      assertThat(running.result.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    }
    assertThat(ran).containsExactly(0);
  }

  @Test
  void closeFinishesTheQueueAndRefusesNewJobs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    List<TestJob> jobs = jobs(4, 1);
    DynamicBatcher<TestJob> batcher =
        batcher(
            10,
            1,
            1000,
            Duration.ZERO,
            Duration.ofSeconds(30),
            batch -> {
              started.countDown();
              await(release);
              batch.forEach(j -> j.result.complete("ok"));
            });
    batcher.submitAll(jobs);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(() -> batcher.close(Duration.ofSeconds(5)));
    closer.start();
    Thread.sleep(50);
    assertThatThrownBy(() -> batcher.submit(new TestJob(9, 1)))
        .isInstanceOf(ShuttingDownException.class)
        .hasMessageContaining("shutting down");
    release.countDown();
    closer.join(10_000);
    for (TestJob job : jobs) {
      assertThat(job.result.get(1, TimeUnit.SECONDS)).isEqualTo("ok");
    }
  }

  @Test
  void aFailingBatchFailsEachOfItsJobs() throws Exception {
    List<TestJob> jobs = jobs(2, 1);
    try (DynamicBatcher<TestJob> batcher =
        batcher(
            10,
            8,
            1000,
            Duration.ofMillis(20),
            Duration.ofSeconds(30),
            batch -> {
              throw new IllegalStateException("boom");
            })) {
      batcher.submitAll(jobs);
      for (TestJob job : jobs) {
        assertThatThrownBy(() -> job.result.get(5, TimeUnit.SECONDS)).hasMessageContaining("boom");
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
