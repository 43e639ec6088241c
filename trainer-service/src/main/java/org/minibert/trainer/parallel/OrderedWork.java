package org.minibert.trainer.parallel;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks on a fixed number of threads and hands their results to one consumer in the order the
 * tasks were submitted, on the submitting thread: the consumer needs no locks, and what it writes
 * is the same for one thread or many. At most {@code maxInFlight} tasks are queued or running, so
 * memory stays bounded however fast the producer is; {@link #submit} waits for the oldest result
 * when that many are out.
 *
 * <p>With one thread nothing is started: each task runs at once on the caller's thread, so {@code
 * --threads 1} really uses one core.
 *
 * <p>A task's exception reaches the caller of {@link #submit} or {@link #finish} as it was thrown
 * (a checked one wrapped in a {@link RuntimeException}); the remaining tasks are cancelled on
 * {@link #close}.
 */
public final class OrderedWork<R> implements AutoCloseable {
  private final ExecutorService pool;
  private final int maxInFlight;
  private final Consumer<R> consumer;
  private final Deque<Future<R>> inFlight = new ArrayDeque<>();

  /**
   * @param threads worker threads; 1 runs every task inline
   * @param name prefix of the worker threads' names
   * @param consumer receives each result, in submission order, on the submitting thread
   */
  public OrderedWork(int threads, String name, Consumer<R> consumer) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    this.consumer = consumer;
    this.maxInFlight = 4 * threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, daemons(name));
  }

  /** The worker count for {@code --threads}: 0 means every processor the JVM sees. */
  public static int resolveThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException(
          "--threads must be 0 (every core) or more, got " + threads);
    }
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }

  /** Queues a task; first hands on finished results while too many are out. */
  public void submit(Callable<R> task) {
    if (pool == null) {
      consumer.accept(call(task));
      return;
    }
    while (inFlight.size() >= maxInFlight) {
      consumer.accept(await(inFlight.poll()));
    }
    inFlight.add(pool.submit(task));
  }

  /** Waits for every submitted task and hands on the remaining results. */
  public void finish() {
    while (!inFlight.isEmpty()) {
      consumer.accept(await(inFlight.poll()));
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      inFlight.forEach(f -> f.cancel(true));
      pool.shutdownNow();
    }
  }

  private static <R> R call(Callable<R> task) {
    try {
      return task.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw wrap(e);
    }
  }

  private static <R> R await(Future<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw wrap(cause);
    }
  }

  private static RuntimeException wrap(Throwable cause) {
    return cause instanceof java.io.IOException io
        ? new UncheckedIOException(io)
        : new IllegalStateException(cause);
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
