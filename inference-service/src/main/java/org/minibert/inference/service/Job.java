package org.minibert.inference.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.batch.Batchable;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.ServedVersion;

/**
 * One model input of a request, validated and tokenized by the version that answers it, waiting in
 * the batcher until its row of a batch output becomes its answer. Its {@link #result} is completed
 * once: from its batch after the model call is over, or when it is cancelled before it ran (never
 * both, see {@link Batchable}), so a request that releases its version when all its results are
 * complete never frees a session a batch still runs on.
 *
 * @param <R> the answer
 */
abstract class Job<R> extends Batchable {
  final ServedVersion version;

  /** How messages name this input ({@code text}, {@code inputs[2]}, {@code pair [1]}). */
  final String name;

  final CompletableFuture<R> result = new CompletableFuture<>();

  /**
   * Where the answer is computed from the row and the future completed (a worker thread of the
   * service, never an event loop).
   */
  final Executor completion;

  Encoded input;

  /** Nanoseconds of the model call that computed this job (for the metrics). */
  volatile long inferenceNanos;

  /** The request's trace context and the moment it was queued ({@link RequestTracing}). */
  io.opentelemetry.context.Context traceContext;

  java.time.Instant queuedAt;

  Job(ServedVersion version, Executor completion, String name) {
    this.version = version;
    this.completion = completion;
    this.name = name;
  }

  @Override
  public int length() {
    return input.length();
  }

  /** True for the masked-LM logits, false for the NSP logits. */
  abstract boolean needsLogits();

  /** Takes this job's row of the output (on the batcher's thread) and completes the answer. */
  abstract void complete(BatchOutput output, int row);

  void fail(Throwable cause) {
    completion.execute(() -> result.completeExceptionally(cause));
  }
}
