package org.minibert.trainer.train;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;
import org.minibert.trainer.data.PretrainingBatch;

/**
 * Builds the next batches on a background thread while the current step runs, so the device (a GPU
 * above all) never waits for masking and padding. Batches are requested by index and delivered in
 * order.
 */
final class BatchPrefetcher implements AutoCloseable {
  private static final int DEPTH = 4;
  private static final PretrainingBatch END =
      new PretrainingBatch(0, 0, 0, null, null, null, null, null, null, null);

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
  private final Thread worker;

  /** Produces {@code build.apply(i)} for i in [from, to), in order. */
  BatchPrefetcher(int from, int to, IntFunction<PretrainingBatch> build) {
    worker =
        new Thread(
            () -> {
              try {
                for (int i = from; i < to; i++) {
                  queue.put(build.apply(i));
                }
                queue.put(END);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                queue.clear();
                queue.offer(e);
              }
            },
            "batch-prefetch");
    worker.setDaemon(true);
    worker.start();
  }

  /** The next batch, or null after the last one. */
  PretrainingBatch next() throws InterruptedException {
    Object item = queue.take();
    if (item instanceof RuntimeException e) {
      throw new IllegalStateException("building a batch failed: " + e.getMessage(), e);
    }
    return item == END ? null : (PretrainingBatch) item;
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
