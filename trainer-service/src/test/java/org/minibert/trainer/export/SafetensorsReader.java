package org.minibert.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test-side safetensors reader written from the format's description, independent of {@link
 * SafetensorsWriter}: it checks what a strict reader (the Rust {@code safetensors} crate that
 * transformers uses) refuses, and returns every tensor.
 */
final class SafetensorsReader {

  record Tensor(String dtype, long[] shape, float[] values) {}

  record File(
      long headerLength,
      String headerText,
      Map<String, String> metadata,
      Map<String, Tensor> tensors) {}

  private SafetensorsReader() {}

  static File read(Path path) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    long n = bytes.getLong(0);
    if (n <= 0 || 8 + n > bytes.capacity()) {
      throw new IOException("header length " + n + " out of range");
    }
    String text = new String(bytes.array(), 8, (int) n, StandardCharsets.UTF_8);
    JsonNode header = new ObjectMapper().readTree(text);
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    long dataStart = 8 + n;
    long dataLength = bytes.capacity() - dataStart;
    long covered = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        field
            .getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().textValue()));
        continue;
      }
      JsonNode info = field.getValue();
      long[] shape = new long[info.get("shape").size()];
      long size = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = info.get("shape").get(i).asLong();
        size *= shape[i];
      }
      long begin = info.get("data_offsets").get(0).asLong();
      long end = info.get("data_offsets").get(1).asLong();
      if (begin > end || end > dataLength || end - begin != size * 4) {
        throw new IOException(field.getKey() + ": offsets [" + begin + ", " + end + "] invalid");
      }
      covered += end - begin;
      float[] values = new float[(int) size];
      bytes
          .slice((int) (dataStart + begin), (int) (end - begin))
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      tensors.put(field.getKey(), new Tensor(info.get("dtype").asText(), shape, values));
    }
    if (covered != dataLength) {
      throw new IOException("tensors cover " + covered + " of " + dataLength + " data bytes");
    }
    return new File(n, text, metadata, tensors);
  }
}
