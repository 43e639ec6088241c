package org.minibert.trainer.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.AtomicFiles;
import org.minibert.core.io.Json;

/**
 * Writes float32 tensors in the <a
 * href="https://github.com/huggingface/safetensors">safetensors</a> format, the one Hugging Face
 * transformers reads first ({@code model.safetensors}):
 *
 * <pre>
 * u64 little-endian  N, the length of the header
 * N bytes            UTF-8 JSON: {"__metadata__": {"format": "pt"},
 *                     "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}
 *                    padded with spaces so that the data starts at a multiple of 8
 * data               every tensor's values, row-major little-endian float32, back to back
 * </pre>
 *
 * Offsets count from the start of the data; the tensors cover it without gaps, in the order given.
 */
public final class SafetensorsWriter {

  /** One named tensor: its shape (row-major) and values. */
  public record Tensor(String name, long[] shape, float[] values) {
    public Tensor {
      long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
      if (size != values.length) {
        throw new IllegalArgumentException(
            "tensor "
                + name
                + " has shape "
                + Arrays.toString(shape)
                + " ("
                + size
                + " values) but "
                + values.length
                + " values");
      }
    }
  }

  /** The {@code __metadata__} that tells transformers the names are PyTorch state-dict names. */
  public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

  private static final int ALIGNMENT = 8;
  private static final int CHUNK_FLOATS = 1 << 16;

  private SafetensorsWriter() {}

  /** Writes {@code tensors} (names unique, not {@code __metadata__}) to {@code file} atomically. */
  public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    AtomicFiles.write(
        file,
        raw -> {
          OutputStream out = new BufferedOutputStream(raw, 1 << 20);
          out.write(
              ByteBuffer.allocate(Long.BYTES)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .putLong(header.length)
                  .array());
          out.write(header);
          ByteBuffer chunk =
              ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          for (Tensor t : tensors) {
            for (int from = 0; from < t.values().length; from += CHUNK_FLOATS) {
              int to = Math.min(t.values().length, from + CHUNK_FLOATS);
              chunk.clear();
              chunk.asFloatBuffer().put(t.values(), from, to - from);
              out.write(chunk.array(), 0, (to - from) * Float.BYTES);
            }
          }
          out.flush();
        });
  }

  /** The JSON header, padded with spaces to a multiple of {@value #ALIGNMENT} bytes. */
  static byte[] header(List<Tensor> tensors, Map<String, String> metadata) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", metadata);
    long offset = 0;
    for (Tensor t : tensors) {
      long end = offset + (long) t.values().length * Float.BYTES;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", t.shape());
      entry.put("data_offsets", List.of(offset, end));
      if (header.put(t.name(), entry) != null || t.name().equals("__metadata__")) {
        throw new IllegalArgumentException("tensor name " + t.name() + " appears twice");
      }
      offset = end;
    }
    byte[] json = Json.toLine(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }
}
