package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.RawHttp;

/**
 * Every kind of bad input is a 4xx application/problem+json with a clear detail, never a 5xx or a
 * stack trace.
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class BadInputTest {

  @BeforeEach
  void ready() {
    Await.ready();
  }

  private static ValidatableResponse problem(
      ValidatableResponse response, int status, String detail) {
    return response
        .statusCode(status)
        .contentType("application/problem+json")
        .body("status", equalTo(status))
        .body("title", org.hamcrest.Matchers.notNullValue())
        .body("detail", containsString(detail))
        .body(org.hamcrest.Matchers.not(containsString("\tat ")));
  }

  private static ValidatableResponse get(String rawQuery) {
    return given().urlEncodingEnabled(false).get("/fill-mask" + rawQuery).then();
  }

  private static ValidatableResponse post(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  @Test
  void missingOrEmptyText() {
    problem(get(""), 400, "text is missing or empty");
    problem(get("?text="), 400, "text is missing or empty");
    problem(get("?text=%20%20"), 400, "text is missing or empty");
    problem(post("/fill-mask", "{\"inputs\": \"\"}"), 400, "text is missing or empty");
    problem(
        post("/fill-mask", "{\"inputs\": [\"a [MASK]\", \" \"]}"),
        400,
        "inputs[1] is missing or empty");
  }

  @Test
  void noMaskAndTooManyMasks() {
    problem(get("?text=no%20mask%20here"), 400, "has no [MASK]");
    String six = "[MASK]%20".repeat(6);
    problem(get("?text=" + six), 400, "has 6 [MASK]s; at most 5 are allowed");
    problem(post("/fill-mask", "{\"inputs\": \"" + "[MASK] ".repeat(6) + "\"}"), 400, "at most 5");
  }

  @Test
  void textLongerThanTheModelReads() {
    String longText = "가나다라 ".repeat(80) + "[MASK]";
    problem(given().queryParam("text", longText).get("/fill-mask").then(), 400, "tokens long")
        .body("detail", containsString("the model reads at most 64"));
    problem(
            post(
                "/nsp",
                "{\"first\": \""
                    + "가나다라 ".repeat(40)
                    + "\", \"second\": \""
                    + "마바사 ".repeat(40)
                    + "\"}"),
            400,
            "the model reads at most 64")
        .body("detail", containsString("the pair is "));
  }

  @Test
  void topKOutOfRangeOrNotANumber() {
    problem(get("?text=%5BMASK%5D&top_k=0"), 400, "top_k must be between 1 and 50, got 0");
    problem(get("?text=%5BMASK%5D&top_k=51"), 400, "top_k must be between 1 and 50, got 51");
    problem(get("?text=%5BMASK%5D&top_k=five"), 400, "top_k must be a whole number, got 'five'");
    problem(get("?text=%5BMASK%5D&top_k=2.5"), 400, "top_k must be a whole number");
    problem(
        post("/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": {\"top_k\": \"5\"}}"),
        400,
        "parameters.top_k must be a whole number, got a string");
    problem(
        post("/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": {\"top_k\": 1.5}}"),
        400,
        "parameters.top_k must be a whole number, got a number 1.5");
    problem(
        post("/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": {\"top_k\": 500}}"),
        400,
        "top_k must be between 1 and 50, got 500");
  }

  @Test
  void invalidPercentEncoding() throws Exception {
    // bytes that are not UTF-8: the service's own decoder
    rawProblem("/fill-mask?text=%5BMASK%5D%FF%FE", "not UTF-8");
    rawProblem("/fill-mask?text=%5BMASK%5D%C3%28", "not UTF-8");
    // a malformed escape makes the whole URL invalid: Quarkus refuses it before routing (a bare
    // 400, see README)
    org.assertj.core.api.Assertions.assertThat(
            RawHttp.get("/fill-mask?text=%ZZ%5BMASK%5D").status())
        .isEqualTo(400);
    org.assertj.core.api.Assertions.assertThat(RawHttp.get("/fill-mask?text=%5BMASK%5D%E").status())
        .isEqualTo(400);
  }

  private static void rawProblem(String pathAndQuery, String detail) throws Exception {
    RawHttp.Answer answer = RawHttp.get(pathAndQuery);
    org.assertj.core.api.Assertions.assertThat(answer.status()).isEqualTo(400);
    org.assertj.core.api.Assertions.assertThat(answer.head().toLowerCase())
        .contains("content-type: application/problem+json");
    org.assertj.core.api.Assertions.assertThat(answer.body())
        .contains(detail)
        .doesNotContain("\tat ");
  }

  @Test
  void malformedJsonAndWrongShapes() {
    problem(post("/fill-mask", "{\"inputs\": \"[MASK]\""), 400, "malformed JSON");
    problem(post("/fill-mask", "{\"inputs\": \"[MASK]\"} trailing"), 400, "malformed JSON");
    problem(post("/fill-mask", ""), 400, "the request body is empty");
    problem(post("/fill-mask", "[\"[MASK]\"]"), 400, "the body must be a JSON object");
    problem(post("/fill-mask", "{\"text\": \"[MASK]\"}"), 400, "inputs is missing");
    problem(
        post("/fill-mask", "{\"inputs\": 42}"),
        400,
        "inputs must be a string or a list of strings, got a number");
    problem(
        post("/fill-mask", "{\"inputs\": [\"[MASK]\", 7]}"),
        400,
        "inputs[1] must be a string, got a number");
    problem(post("/fill-mask", "{\"inputs\": []}"), 400, "inputs is an empty list");
    problem(
        post("/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": []}"),
        400,
        "parameters must be an object");
    problem(
        post("/fill-mask", "{\"inputs\": \"[MASK]\", \"parameters\": {\"targets\": [\"\"]}}"),
        400,
        "parameters.targets has an empty entry");
    problem(
        post(
            "/fill-mask",
            "{\"inputs\": \"[MASK]\", \"parameters\": {\"targets\": [\"zzqqxxww\"]}}"),
        400,
        "is not in the model's vocabulary");

    problem(post("/nsp", "{\"first\": \"a\""), 400, "malformed JSON");
    problem(post("/nsp", "{\"first\": \"비가 왔다.\"}"), 400, "second is missing");
    problem(
        post("/nsp", "{\"first\": 1, \"second\": \"b\"}"),
        400,
        "first must be a string, got a number");
    problem(post("/nsp", "{\"first\": \"\", \"second\": \"b\"}"), 400, "first is missing or empty");
    problem(
        post("/nsp", "[{\"first\": \"a\", \"second\": \"b\"}, 3]"), 400, "[1] must be an object");
    problem(post("/nsp", "[]"), 400, "the list of pairs is empty");
    problem(post("/nsp", "\"text\""), 400, "the body must be an object");
  }

  @Test
  void oversizedBodiesAndTooManyInputs() {
    String big = "{\"inputs\": \"" + "가".repeat(30_000) + " [MASK]\"}"; // 90 KB of UTF-8
    problem(post("/fill-mask", big), 413, "at most 65536 are accepted");
    problem(post("/nsp", big), 413, "at most 65536 are accepted");
    problem(
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("inputs", java.util.Collections.nCopies(65, "[MASK]")))
            .post("/fill-mask")
            .then(),
        400,
        "at most 64 are accepted");
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    problem(given().get("/no-such-thing").then(), 404, "no such resource");
    problem(given().delete("/fill-mask").then(), 405, "not allowed");
    given().contentType(ContentType.JSON).body(List.of()).post("/nsp").then().statusCode(400);
  }
}
