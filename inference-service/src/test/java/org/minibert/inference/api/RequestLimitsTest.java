package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.RawHttp;
import org.minibert.inference.testing.ThreadProbe;

/**
 * Requests that used to break the service: JSON beyond the parser's limits, text outside the Basic
 * Multilingual Plane and unpaired surrogates, and requests that ask for far more work than they
 * cost to send.
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class RequestLimitsTest {

  @BeforeEach
  void ready() {
    Await.ready();
  }

  private static ValidatableResponse post(String path, Object body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  private static void problem400(ValidatableResponse response, String detail) {
    response
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("detail", containsString(detail));
  }

  @Test
  void jsonBeyondTheParsersLimitsIsA400() {
    String deep = "[".repeat(1100) + "]".repeat(1100);
    problem400(post("/fill-mask", "{\"inputs\": " + deep + "}"), "nesting depth");
    problem400(post("/nsp", deep), "nesting depth");
    problem400(post("/fill-mask", "{\"inputs\": " + "1".repeat(1100) + "}"), "Number value length");
    problem400(
        post(
            "/fill-mask",
            "{\"inputs\": \"[MASK]\", \"parameters\": {\"top_k\": 1" + "0".repeat(1100) + "}}"),
        "Number value length");
  }

  @Test
  void sequencesAreExactOutsideTheBasicMultilingualPlane() {
    String text = "😀𠀀 서울은 [MASK] 도시이다.";
    var json =
        given()
            .queryParam("text", text)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    int start = json.getInt("masks[0].start");
    assertThat(text.substring(start, json.getInt("masks[0].end"))).isEqualTo("[MASK]");
    for (Map<String, Object> c : json.<Map<String, Object>>getList("masks[0].candidates")) {
      assertThat(c.get("sequence"))
          .isEqualTo(text.substring(0, start) + c.get("token") + text.substring(start + 6));
    }
    // and characters the model never changes are given back as sent, not normalized
    String decomposed = "e\u0301 \u1100\u1161 [MASK] 가\u0301.";
    List<Map<String, Object>> candidates =
        post("/fill-mask", Map.of("inputs", decomposed))
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("");
    int at = decomposed.indexOf("[MASK]");
    for (Map<String, Object> c : candidates) {
      assertThat(c.get("sequence"))
          .isEqualTo(
              decomposed.substring(0, at) + c.get("token_str") + decomposed.substring(at + 6));
    }
  }

  @Test
  void unpairedSurrogatesAreA400() throws Exception {
    problem400(
        post("/fill-mask", "{\"inputs\": \"\\ud800 [MASK]\"}"), "unpaired UTF-16 surrogate U+D800");
    problem400(
        post("/fill-mask", "{\"inputs\": [\"[MASK]\", \"[MASK] \\udc00\"]}"),
        "inputs[1] has an unpaired");
    problem400(
        post(
            "/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": {\"targets\": [\"\\ud83d\"]}}"),
        "parameters.targets[0] has an unpaired");
    problem400(
        post("/nsp", "{\"first\": \"a\\ud800\", \"second\": \"b\"}"), "first has an unpaired");
    // encoded surrogates in a query string are not UTF-8 either
    RawHttp.Answer answer = RawHttp.get("/fill-mask?text=%ED%A0%80%20%5BMASK%5D");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.head().toLowerCase()).contains("application/problem+json");
  }

  @Test
  void requestsThatAskForTooMuchWorkAreRefusedNamingTheLimit() {
    // 64 texts x 5 masks x top_k 50: 16,000 candidates, each repeating its text (was 8 MB of JSON)
    String text = "가나다 [MASK] ".repeat(5) + "라마바사아자차카타파하".repeat(5);
    problem400(
        post(
            "/fill-mask",
            Map.of("inputs", Collections.nCopies(64, text), "parameters", Map.of("top_k", 50))),
        "asks for 16000 candidates (320 [MASK]s x top_k 50); at most 1000 are answered"
            + " (minibert.limits.max-candidates)");
    problem400(
        post("/fill-mask", Map.of("inputs", "[MASK] " + "가".repeat(2000))),
        "text is 2007 characters long; at most 2000 are accepted (minibert.limits.max-text-chars)");
    problem400(
        given().queryParam("text", "[MASK] " + "a".repeat(2000)).get("/fill-mask").then(),
        "minibert.limits.max-text-chars");
    problem400(
        post("/nsp", Map.of("first", "a", "second", "b".repeat(2001))),
        "second is 2001 characters long");
    // within the limits: answered
    post(
            "/fill-mask",
            Map.of(
                "inputs",
                Collections.nCopies(40, "가 [MASK] 나 [MASK]"),
                "parameters",
                Map.of("top_k", 12)))
        .statusCode(200);
  }

  @Test
  void answersAreBuiltOffTheEventLoop() {
    // the GET too: its text is checked and tokenized on a worker, after admission, never on the
    // event loops the health probes share
    var get =
        given()
            .header(ThreadProbe.REQUEST_HEADER, "1")
            .queryParam("text", "[MASK]")
            .get("/fill-mask");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.header(ThreadProbe.RESPONSE_HEADER)).isNotNull().isNotEqualTo("event-loop");
    for (var response :
        List.of(
            given()
                .header(ThreadProbe.REQUEST_HEADER, "1")
                .contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of("[MASK] 가", "나 [MASK]")))
                .post("/fill-mask"),
            given()
                .header(ThreadProbe.REQUEST_HEADER, "1")
                .contentType(ContentType.JSON)
                .body(Map.of("first", "a", "second", "b"))
                .post("/nsp"))) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.header(ThreadProbe.RESPONSE_HEADER))
          .isNotNull()
          .isNotEqualTo("event-loop");
    }
  }
}
