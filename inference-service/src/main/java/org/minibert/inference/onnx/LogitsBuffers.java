package org.minibert.inference.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A direct buffer per batcher thread for the logits, grown as needed and reused; beyond {@link
 * #MAX_REUSED_FLOATS} a one-off buffer is allocated, so one huge batch does not keep its memory for
 * ever. The rows a batch needs are read before that thread runs its next batch.
 */
final class LogitsBuffers {
  private static final int MAX_REUSED_FLOATS = 8 << 20; // 32 MB
  private static final ThreadLocal<LogitsBuffers> PER_THREAD =
      ThreadLocal.withInitial(LogitsBuffers::new);

  private FloatBuffer reused;

  private LogitsBuffers() {}

  /** A buffer of {@code count} floats for the calling thread, valid until its next call. */
  static FloatBuffer floats(int count) {
    return PER_THREAD.get().take(count);
  }

  private FloatBuffer take(int count) {
    if (count > MAX_REUSED_FLOATS) {
      return ByteBuffer.allocateDirect(count * Float.BYTES)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
    if (reused == null || reused.capacity() < count) {
      int capacity =
          Math.min(MAX_REUSED_FLOATS, Math.max(count, reused == null ? 0 : reused.capacity() * 2));
      reused =
          ByteBuffer.allocateDirect(capacity * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
    }
    FloatBuffer view = reused.duplicate();
    view.clear();
    view.limit(count);
    return view.slice();
  }
}
