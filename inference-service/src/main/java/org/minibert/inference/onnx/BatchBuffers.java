package org.minibert.inference.onnx;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * The direct buffers of one batch, per batcher thread, grown as needed and reused: the three input
 * tensors, the mask positions, and the logits ONNX Runtime writes into. ONNX Runtime reads and
 * writes direct buffers in place (a heap buffer it would copy into a fresh direct one every run),
 * so a steady load allocates nothing here. Beyond {@link #MAX_REUSED_BYTES} a one-off buffer is
 * allocated, so one huge batch does not keep its memory for ever. A batch's outputs are read before
 * its thread runs the next batch.
 */
final class BatchBuffers {
  /** Per buffer; the logits of 32 rows x 8 masks x 8,000 pieces take 8 MB. */
  static final int MAX_REUSED_BYTES = 32 << 20;

  private static final ThreadLocal<BatchBuffers> PER_THREAD =
      ThreadLocal.withInitial(BatchBuffers::new);

  /** The buffers of the calling thread. */
  static BatchBuffers get() {
    return PER_THREAD.get();
  }

  private final ByteBuffer[] reused = new ByteBuffer[Slot.values().length];

  /** What each reused buffer holds. */
  enum Slot {
    INPUT_IDS,
    ATTENTION_MASK,
    TOKEN_TYPE_IDS,
    MASK_POSITIONS,
    LOGITS
  }

  private BatchBuffers() {}

  /** {@code count} zeroed longs, valid until this thread's next call for the same slot. */
  LongBuffer longs(Slot slot, int count) {
    LongBuffer longs = take(slot, count * Long.BYTES).asLongBuffer();
    for (int i = 0; i < count; i++) {
      longs.put(i, 0);
    }
    return longs;
  }

  /** {@code count} floats (not cleared: ONNX Runtime overwrites them). */
  FloatBuffer floats(Slot slot, int count) {
    return take(slot, count * Float.BYTES).asFloatBuffer();
  }

  private ByteBuffer take(Slot slot, int bytes) {
    if (bytes > MAX_REUSED_BYTES) {
      return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer buffer = reused[slot.ordinal()];
    if (buffer == null || buffer.capacity() < bytes) {
      int capacity =
          Math.min(MAX_REUSED_BYTES, Math.max(bytes, buffer == null ? 0 : buffer.capacity() * 2));
      buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
      reused[slot.ordinal()] = buffer;
    }
    ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
    ((Buffer) view).clear();
    ((Buffer) view).limit(bytes);
    return view.slice().order(ByteOrder.nativeOrder());
  }
}
