package org.minibert.core.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The project's JSON conventions, in one place: snake_case keys (as Hugging Face's files use),
 * pretty printed, unknown keys tolerated on reading so older readers accept newer files.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final ObjectReader STRICT =
      MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /**
   * A reader (of {@link #MAPPER}) for input that must be exactly one JSON value, such as a request
   * body or a line of JSON Lines: anything after the value, even a second value, is an error
   * instead of being ignored.
   */
  public static ObjectReader strict() {
    return STRICT;
  }

  /** Writes {@code value} as JSON to {@code file} atomically (see {@link AtomicFiles}). */
  public static void write(Path file, Object value) throws IOException {
    AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
  }

  /** One compact line of JSON, for JSON-lines files. */
  public static String toLine(Object value) throws IOException {
    return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
  }

  public static <T> T read(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }
}
