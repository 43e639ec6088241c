package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.RawHttp;

/**
 * Property-based fuzzing of the running service with a seeded generator (jqwik cannot host a
 * {@code @QuarkusTest}: its engine runs properties outside JUnit Jupiter's extensions). Rerun a
 * failure with {@code -Dfuzz.seed=<the seed in the message>}; {@code -Dfuzz.cases=N} for more.
 *
 * <p>Properties: no request is ever answered 5xx; every 4xx is an {@code application/problem+json}
 * whose status matches and whose detail is one clear sentence (no stack trace); for a valid text,
 * every mask's offsets frame its {@code [MASK]} and every candidate's {@code sequence} is the text
 * with that mask replaced by the token, every other character exactly as sent.
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class HostileInputFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
  private static final int CASES = Integer.getInteger("fuzz.cases", 80);

  private Random random;

  @BeforeEach
  void ready() {
    Await.ready();
    random = new Random(SEED);
  }

  // ---- generators ----

  private static final int[][] RANGES = {
    {'a', 'z'},
    {'0', '9'},
    {0xAC00, 0xD7A3}, // Hangul syllables
    {0x1100, 0x11FF}, // conjoining jamo
    {0x3131, 0x318E}, // compatibility jamo
    {0x0300, 0x036F}, // combining marks
    {0x4E00, 0x4E40}, // CJK
    {0x1F600, 0x1F64F}, // emoji (astral)
    {0x20000, 0x20040}, // CJK extension B (astral)
    {0x0000, 0x001F}, // control characters
    {0x007F, 0x009F},
    {0x200B, 0x200F}, // zero-width and direction marks
    {0xE000, 0xE010}, // private use
    {0xFFF0, 0xFFFF}, // specials, non-characters
    {0x10FFF0, 0x10FFFF},
  };

  private int codePoint() {
    int[] range = RANGES[random.nextInt(RANGES.length)];
    return range[0] + random.nextInt(range[1] - range[0] + 1);
  }

  /** Random Unicode (well-formed UTF-16) with 0 to 7 [MASK]s, glued or spaced. */
  private String text(int maxChars) {
    StringBuilder text = new StringBuilder();
    int masks = random.nextInt(8);
    int length = 1 + random.nextInt(maxChars);
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      if (pick < 2) {
        text.append(' ');
      } else {
        text.appendCodePoint(codePoint());
      }
      if (masks > 0 && random.nextInt(length) < 2) {
        text.append(random.nextBoolean() ? " [MASK] " : "[MASK]");
        masks--;
      }
    }
    return text.toString();
  }

  /** A valid text for the tiny model: 1 to 5 spaced masks in short random Unicode. */
  private String validText() {
    StringBuilder text = new StringBuilder();
    int masks = 1 + random.nextInt(5);
    for (int m = 0; m < masks; m++) {
      for (int i = random.nextInt(4); i > 0; i--) {
        text.appendCodePoint(codePoint());
      }
      text.append(random.nextBoolean() ? " [MASK] " : "[MASK]");
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      text.appendCodePoint(codePoint());
    }
    return text.toString();
  }

  private String withLoneSurrogate(String text) {
    int at = random.nextInt(text.length() + 1);
    char surrogate =
        (char)
            (random.nextBoolean()
                ? 0xD800 + random.nextInt(0x400)
                : 0xDC00 + random.nextInt(0x400));
    return text.substring(0, at) + surrogate + " " + text.substring(at);
  }

  /** A random JSON value (as text), up to {@code depth} levels deep. */
  private String json(int depth) {
    int pick = random.nextInt(depth <= 0 ? 6 : 9);
    return switch (pick) {
      case 0 -> "null";
      case 1 -> Boolean.toString(random.nextBoolean());
      case 2 -> Long.toString(random.nextLong());
      case 3 -> number();
      case 4, 5 -> quote(random.nextInt(4) == 0 ? withLoneSurrogate(text(30)) : text(30));
      case 6, 7 -> {
        StringBuilder array = new StringBuilder("[");
        for (int i = random.nextInt(5); i > 0; i--) {
          array.append(json(depth - 1)).append(i > 1 ? "," : "");
        }
        yield array.append(']').toString();
      }
      default -> {
        StringBuilder object = new StringBuilder("{");
        String[] names = {"inputs", "parameters", "top_k", "targets", "first", "second", "x"};
        for (int i = random.nextInt(4); i > 0; i--) {
          object
              .append(quote(names[random.nextInt(names.length)]))
              .append(':')
              .append(json(depth - 1));
          object.append(i > 1 ? "," : "");
        }
        yield object.append('}').toString();
      }
    };
  }

  private String number() {
    return switch (random.nextInt(6)) {
      case 0 -> "1" + "0".repeat(random.nextInt(1500));
      case 1 -> "1e" + random.nextInt(1_000_000_000);
      case 2 -> "-0.0000" + random.nextInt(10) + "e-400";
      case 3 -> Double.toString(random.nextGaussian() * 100);
      case 4 -> "0." + "9".repeat(1 + random.nextInt(1200));
      default -> Integer.toString(random.nextInt(120) - 10);
    };
  }

  /** A JSON string literal; JSON escapes every UTF-16 unit outside ASCII printable sometimes. */
  private String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    boolean escapeAll = random.nextInt(3) == 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"'
          || c == '\\'
          || c < 0x20
          || Character.isSurrogate(c)
          || (escapeAll && c > 0x7e)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private String hostileBody(boolean nsp) {
    return switch (random.nextInt(9)) {
      case 0 -> {
        int depth = 900 + random.nextInt(400);
        String open = random.nextBoolean() ? "[" : "{\"inputs\":";
        String close = open.equals("[") ? "]" : "}";
        yield (nsp ? "" : "{\"inputs\":")
            + open.repeat(depth)
            + "\"[MASK]\""
            + close.repeat(depth)
            + (nsp ? "" : "}");
      }
      case 1 -> "{\"inputs\":" + number() + ",\"parameters\":{\"top_k\":" + number() + "}}";
      case 2 -> json(4);
      case 3 -> {
        String valid = "{\"inputs\":" + quote(text(40)) + "}";
        yield valid.substring(0, random.nextInt(valid.length())); // truncated
      }
      case 4 ->
          "{\"inputs\":\"" + text(20).replace("\"", "") + "\u0001\"}"; // raw control character
      case 5 ->
          "{\"inputs\":"
              + (random.nextBoolean()
                  ? quote(text(60))
                  : "[" + quote(text(30)) + "," + json(2) + "]")
              + ",\"parameters\":"
              + (random.nextBoolean()
                  ? json(2)
                  : "{\"top_k\":" + json(1) + ",\"targets\":" + json(2) + "}")
              + "}";
      case 6 ->
          "{\"first\":"
              + quote(text(40))
              + ",\"second\":"
              + (random.nextBoolean() ? quote(text(40)) : json(2))
              + "}";
      case 7 ->
          "["
              + json(3)
              + ","
              + "{\"first\":"
              + quote(withLoneSurrogate("a"))
              + ",\"second\":\"b\"}]";
      default -> "{\"inputs\":" + quote(withLoneSurrogate(text(30))) + "}";
    };
  }

  // ---- properties ----

  private static void assertWellAnswered(Response response, String request, long seed) {
    int status = response.statusCode();
    String why =
        "seed "
            + seed
            + ", request: "
            + abbreviate(request)
            + " -> "
            + abbreviate(response.asString());
    assertThat(status).as(why).isLessThan(500);
    if (status >= 400) {
      assertThat(response.contentType()).as(why).startsWith("application/problem+json");
      JsonPath problem = response.jsonPath();
      assertThat(problem.getInt("status")).as(why).isEqualTo(status);
      assertThat(problem.getString("detail"))
          .as(why)
          .isNotBlank()
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  @Test
  void hostileBodiesAreNeverA5xxAndEvery4xxIsAProblem() {
    for (int i = 0; i < CASES; i++) {
      boolean nsp = random.nextInt(3) == 0;
      String body = hostileBody(nsp);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(10) == 0) {
        bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // not UTF-8
      }
      Response response =
          given().contentType("application/json").body(bytes).post(nsp ? "/nsp" : "/fill-mask");
      assertWellAnswered(response, body, SEED);
    }
  }

  @Test
  void hostileQueryStringsAreNeverA5xxAndEvery4xxIsAProblem() throws Exception {
    for (int i = 0; i < CASES; i++) {
      StringBuilder query = new StringBuilder("/fill-mask?");
      String text = random.nextInt(4) == 0 ? withLoneSurrogate(text(40)) : text(40);
      query.append(random.nextInt(10) == 0 ? "text" : "text=").append(percentEncode(text));
      if (random.nextBoolean()) {
        String[] topK = {
          "5", "0", "-1", "51", "1e3", "99999999999", "2.5", "", "%20", "five", "50"
        };
        query.append("&top_k=").append(topK[random.nextInt(topK.length)]);
      }
      if (random.nextInt(5) == 0) {
        query.append("&text=second&").append(percentEncode(text(5))).append("=x&&");
      }
      if (random.nextInt(8) == 0) {
        query.append("&x=%ED%A0%80%FF"); // an encoded surrogate and a byte that is not UTF-8
      }
      RawHttp.Answer answer = RawHttp.get(query.toString());
      String why =
          "seed "
              + SEED
              + ", GET "
              + abbreviate(query.toString())
              + " -> "
              + abbreviate(answer.body());
      assertThat(answer.status()).as(why).isLessThan(500);
      if (answer.status() >= 400) {
        assertThat(answer.head().toLowerCase())
            .as(why)
            .contains("content-type: application/problem+json");
        assertThat(answer.body())
            .as(why)
            .contains("\"status\":" + answer.status())
            .doesNotContain("\tat ");
      }
    }
  }

  /**
   * Every byte outside unreserved ASCII as %XX of its UTF-8 (a lone surrogate: '?' as Java writes
   * it).
   */
  private static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  @Test
  void forValidTextsEverySequenceIsTheTextWithTheMaskReplacedByTheToken() {
    int answered = 0;
    for (int i = 0; i < CASES; i++) {
      String text = validText();
      Response response =
          given()
              .queryParam("text", text)
              .queryParam("top_k", 1 + random.nextInt(5))
              .get("/fill-mask");
      assertWellAnswered(response, text, SEED);
      if (response.statusCode() != 200) {
        continue;
      }
      answered++;
      String why = "seed " + SEED + ", text " + escape(text);
      JsonPath json = response.jsonPath();
      assertThat(json.getString("text")).as(why).isEqualTo(text);
      List<Map<String, Object>> masks = json.getList("masks");
      for (Map<String, Object> mask : masks) {
        int start = (Integer) mask.get("start");
        int end = (Integer) mask.get("end");
        assertThat(text.substring(start, end)).as(why).isEqualTo("[MASK]");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) mask.get("candidates");
        for (Map<String, Object> candidate : candidates) {
          assertFilled(
              text,
              start,
              end,
              (String) candidate.get("token"),
              (String) candidate.get("sequence"),
              why);
        }
      }
    }
    assertThat(answered)
        .as("valid texts answered 200 (seed " + SEED + ")")
        .isGreaterThan(CASES / 2);
  }

  /**
   * The sequence is the text before the mask (without its trailing space for a {@code ##} piece),
   * the token, and the text after the mask; a piece that composes with the character before it (a
   * jamo vowel or final, a combining mark) may change that one character.
   */
  private static void assertFilled(
      String text, int start, int end, String token, String sequence, String why) {
    String before = text.substring(0, start);
    String after = text.substring(end);
    String why2 = why + ", token " + escape(token) + ", sequence " + escape(sequence);
    if (sequence.equals(before + token + after)
        || sequence.equals(before.stripTrailing() + token + after)) {
      return;
    }
    int first = token.isEmpty() ? 0 : token.codePointAt(0);
    int type = Character.getType(first);
    boolean composes =
        (first >= 0x1100 && first <= 0x11FF)
            || (first >= 0x3131 && first <= 0x318E)
            || type == Character.NON_SPACING_MARK
            || type == Character.COMBINING_SPACING_MARK
            || type == Character.ENCLOSING_MARK;
    assertThat(composes).as(why2 + ": not the text with the mask replaced").isTrue();
    String base = before.stripTrailing();
    base = base.substring(0, base.length() - Math.min(base.length(), 4));
    assertThat(sequence).as(why2).startsWith(base).endsWith(after);
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            c ->
                out.append(
                    c >= 0x20 && c < 0x7f
                        ? String.valueOf((char) c)
                        : String.format("\\u{%x}", c)));
    return out.toString();
  }
}
