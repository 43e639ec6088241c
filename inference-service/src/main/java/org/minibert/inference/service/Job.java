package org.minibert.inference.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.minibert.core.tokenizer.Encoded;
import org.minibert.inference.onnx.BatchOutput;
import org.minibert.inference.version.ServedVersion;

/**
 * One model input of a request, validated and tokenized by the version that answers it, waiting in
 * the batcher until its row of a batch output becomes its answer.
 *
 * @param <R> the answer
 */
abstract class Job<R> {
  final ServedVersion version;
  final CompletableFuture<R> result = new CompletableFuture<>();

  /**
   * Where the answer is computed from the row and the future completed (the request's event loop).
   */
  final Executor completion;

  Encoded input;

  /** The request's trace context and the moment it was queued ({@link RequestTracing}). */
  io.opentelemetry.context.Context traceContext;

  java.time.Instant queuedAt;

  Job(ServedVersion version, Executor completion) {
    this.version = version;
    this.completion = completion;
  }

  /** True for the masked-LM logits, false for the NSP logits. */
  abstract boolean needsLogits();

  /** Takes this job's row of the output (on the batcher's thread) and completes the answer. */
  abstract void complete(BatchOutput output, int row);

  void fail(Throwable cause) {
    completion.execute(() -> result.completeExceptionally(cause));
  }

  /** Answered already: cancelled because its request was refused part way. */
  boolean cancelled() {
    return result.isDone();
  }
}
