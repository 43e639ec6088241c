package org.minibert.inference.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minibert.core.io.Json;

/**
 * Parsing of what clients send: raw query strings and JSON bodies, with a precise message for every
 * mistake.
 */
final class Requests {
  private Requests() {}

  /**
   * Parses a raw query string ({@code a=1&b=x%20y}); '+' is a space. The first value of a repeated
   * name wins.
   *
   * @throws ApiException (400) for malformed percent-encoding or bytes that are not UTF-8
   */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter name");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter " + name);
      params.putIfAbsent(name, checkText(value, "query parameter " + name));
    }
    return params;
  }

  static String decode(String encoded, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= encoded.length()
            || hex(encoded.charAt(i + 1)) < 0
            || hex(encoded.charAt(i + 2)) < 0) {
          throw new ApiException(
              400,
              what
                  + " has invalid percent-encoding at '"
                  + encoded.substring(i, Math.min(encoded.length(), i + 3))
                  + "': use %XX with two hex digits");
        }
        bytes.write(hex(encoded.charAt(i + 1)) * 16 + hex(encoded.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(400, what + " is percent-encoded, but the bytes are not UTF-8");
    }
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /** Parses {@code top_k} as sent in a query string. */
  static int topK(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "top_k must be a whole number, got '" + abbreviate(value) + "'");
    }
  }

  /**
   * The JSON of a request body.
   *
   * @throws ApiException 413 above {@code maxBytes}, 400 for an empty body or malformed JSON
   */
  static JsonNode json(byte[] body, int maxBytes) {
    if (body == null || body.length == 0) {
      throw new ApiException(400, "the request body is empty: send a JSON object");
    }
    if (body.length > maxBytes) {
      throw new ApiException(
          413,
          "the request body is " + body.length + " bytes; at most " + maxBytes + " are accepted");
    }
    try {
      return Json.strict().readTree(body);
    } catch (StreamConstraintsException e) {
      // nesting, number or string beyond the parser's limits: Jackson gives no location for these
      throw new ApiException(
          400, "the JSON is beyond the parser's limits: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ApiException(
          400,
          "malformed JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new ApiException(400, "unreadable request body: " + e.getMessage());
    }
  }

  /** A required string field. */
  static String string(JsonNode object, String field, String where) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new ApiException(400, where + field + " is missing");
    }
    if (!value.isTextual()) {
      throw new ApiException(400, where + field + " must be a string, got " + kind(value));
    }
    return checkText(value.asText(), where + field);
  }

  /** A string or a list of strings, as a list. */
  static List<String> strings(JsonNode value, String where, int max) {
    List<String> out = new ArrayList<>();
    if (value.isTextual()) {
      out.add(checkText(value.asText(), where));
      return out;
    }
    if (!value.isArray()) {
      throw new ApiException(
          400, where + " must be a string or a list of strings, got " + kind(value));
    }
    if (value.isEmpty()) {
      throw new ApiException(400, where + " is an empty list");
    }
    if (value.size() > max) {
      throw new ApiException(
          400, where + " has " + value.size() + " entries; at most " + max + " are accepted");
    }
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw new ApiException(
            400, where + "[" + i + "] must be a string, got " + kind(value.get(i)));
      }
      out.add(checkText(value.get(i).asText(), where + "[" + i + "]"));
    }
    return out;
  }

  /**
   * Returns {@code text} when it is well-formed UTF-16. JSON escapes ({@code "\\ud800"}) can carry
   * half of a surrogate pair, which is no character at all: the tokenizer would see a replacement
   * character and the offsets of everything after it would be off.
   *
   * @throws ApiException (400) naming where the unpaired surrogate is
   */
  static String checkText(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new ApiException(
            400,
            String.format(
                "%s has an unpaired UTF-16 surrogate U+%04X at index %d: send valid Unicode text",
                what, (int) c, i));
      }
    }
    return text;
  }

  static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
