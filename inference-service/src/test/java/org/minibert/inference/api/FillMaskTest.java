package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/** The fill-mask endpoints against the real tiny model exported by the project's exporter. */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class FillMaskTest {
  static final String TEXT = "대한민국의 수도는 [MASK]이다.";

  @BeforeEach
  void ready() {
    Await.ready();
  }

  @Test
  void getAnswersTopKCandidatesPerMaskWithTheVersion() {
    JsonPath json =
        given()
            .queryParam("text", TEXT)
            .queryParam("top_k", 3)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .header("X-Model-Version", org.hamcrest.Matchers.notNullValue())
            .extract()
            .jsonPath();
    assertThat(json.getString("version")).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
    assertThat(json.getString("model")).isEqualTo("minibert");
    assertThat(json.getString("text")).isEqualTo(TEXT);
    List<Map<String, Object>> masks = json.getList("masks");
    assertThat(masks).hasSize(1);
    assertThat(json.getInt("masks[0].start")).isEqualTo(TEXT.indexOf("[MASK]"));
    assertThat(json.getInt("masks[0].end")).isEqualTo(TEXT.indexOf("[MASK]") + 6);
    List<Map<String, Object>> candidates = json.getList("masks[0].candidates");
    assertThat(candidates).hasSize(3);
    double previous = 1;
    for (Map<String, Object> c : candidates) {
      double score = ((Number) c.get("score")).doubleValue();
      assertThat(score).isBetween(0.0, previous);
      previous = score;
      assertThat(c.get("token_id")).isInstanceOf(Integer.class);
      assertThat((Integer) c.get("token_id"))
          .as("special tokens are never candidates")
          .isGreaterThanOrEqualTo(5);
      String token = (String) c.get("token");
      assertThat(token).doesNotStartWith("##");
      String sequence = (String) c.get("sequence");
      assertThat(sequence).startsWith("대한민국의").endsWith("이다.").doesNotContain("[MASK]");
      assertThat(Normalizer.isNormalized(sequence, Normalizer.Form.NFC)).isTrue();
    }
  }

  @Test
  void aMaskAfterASpaceTakesAWordStartAndAMaskGluedToAWordContinuesIt() {
    // after a space: every candidate starts a new word, so the sequence keeps the space
    JsonPath spaced =
        given()
            .queryParam("text", "서울 [MASK]")
            .queryParam("top_k", 20)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(spaced.getList("masks[0].candidates.sequence", String.class))
        .hasSize(20)
        .allSatisfy(s -> assertThat(s).startsWith("서울 ").hasSizeGreaterThan(3));
    // glued to 서울: only continuation pieces, so the sequence has no space where the mask was
    JsonPath glued =
        given()
            .queryParam("text", "서울[MASK] 도시")
            .queryParam("top_k", 20)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(glued.getList("masks[0].candidates.sequence", String.class))
        .hasSize(20)
        .allSatisfy(s -> assertThat(s).doesNotStartWith("서울 ").endsWith(" 도시"));
    // a lone jamo piece is shown as the compatibility jamo people type, never a broken conjoining
    // one
    assertThat(glued.getList("masks[0].candidates.token", String.class))
        .allSatisfy(t -> assertThat(t.chars()).noneMatch(c -> c >= 0x1100 && c <= 0x11ff));
  }

  @Test
  void defaultTopKIsFiveAndSeveralMasksAreAnsweredInTextOrder() {
    String text = "나는 [MASK]에 가서 [MASK]을 먹었다.";
    JsonPath json =
        given()
            .queryParam("text", text)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(json.getList("masks")).hasSize(2);
    assertThat(json.getList("masks[0].candidates")).hasSize(5);
    assertThat(json.getInt("masks[0].start")).isLessThan(json.getInt("masks[1].start"));
    // each sequence fills its own mask and leaves the other one
    assertThat(json.getList("masks[0].candidates.sequence", String.class))
        .allSatisfy(s -> assertThat(s).startsWith("나는").endsWith("에 가서 [MASK]을 먹었다."));
    assertThat(json.getList("masks[1].candidates.sequence", String.class))
        .allSatisfy(s -> assertThat(s).startsWith("나는 [MASK]에 가서").endsWith("먹었다."));
  }

  @Test
  void postTakesTheHuggingFaceBodyAndAnswersItsShape() {
    List<Map<String, Object>> one =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("inputs", TEXT, "parameters", Map.of("top_k", 4)))
            .post("/fill-mask")
            .then()
            .statusCode(200)
            .header("X-Model-Version", org.hamcrest.Matchers.notNullValue())
            .extract()
            .jsonPath()
            .getList("$");
    assertThat(one).hasSize(4);
    assertThat(one.get(0)).containsOnlyKeys("score", "token", "token_str", "sequence");

    // several inputs: a list per input; a text with two masks: a list per mask
    JsonPath several =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "inputs",
                    List.of(TEXT, "나는 [MASK]에 가서 [MASK]을 먹었다."),
                    "parameters",
                    Map.of("top_k", 2)))
            .post("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(several.getList("$")).hasSize(2);
    assertThat(several.getList("[0]")).hasSize(2);
    assertThat(several.getString("[0][0].token_str")).isNotNull();
    assertThat(several.getList("[1]")).hasSize(2);
    assertThat(several.getList("[1][0]")).hasSize(2);
    assertThat(several.getString("[1][1][0].sequence")).startsWith("나는 [MASK]에 가서");
  }

  @Test
  void getAndPostAgreeOnScoresAndSequences() {
    JsonPath get =
        given()
            .queryParam("text", TEXT)
            .queryParam("top_k", 5)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    JsonPath post =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("inputs", TEXT))
            .post("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    for (int i = 0; i < 5; i++) {
      assertThat(post.getInt("[" + i + "].token"))
          .isEqualTo(get.getInt("masks[0].candidates[" + i + "].token_id"));
      assertThat(post.getString("[" + i + "].token_str"))
          .isEqualTo(get.getString("masks[0].candidates[" + i + "].token"));
      assertThat(post.getString("[" + i + "].sequence"))
          .isEqualTo(get.getString("masks[0].candidates[" + i + "].sequence"));
      assertThat(post.getDouble("[" + i + "].score"))
          .isCloseTo(get.getDouble("masks[0].candidates[" + i + "].score"), within(1e-5));
    }
  }

  @Test
  void targetsRestrictTheCandidatesWithFullVocabularyProbabilities() {
    JsonPath all =
        given()
            .queryParam("text", TEXT)
            .queryParam("top_k", 50)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    int matched = 0;
    for (int k = 5; k < 50 && matched < 2; k++) {
      int id = all.getInt("masks[0].candidates[" + k + "].token_id");
      String token = all.getString("masks[0].candidates[" + k + "].token");
      var response =
          given()
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "inputs", TEXT, "parameters", Map.of("targets", List.of(token), "top_k", 3)))
              .post("/fill-mask")
              .then()
              .extract();
      if (response.statusCode() == 400) {
        continue; // a lone jamo piece: displayed, but no word the tokenizer maps to it
      }
      assertThat(response.statusCode()).isEqualTo(200);
      List<Map<String, Object>> restricted = response.jsonPath().getList("$");
      assertThat(restricted).hasSize(1);
      // a displayed token names its vocabulary entry unless a "##" piece or a lone jamo displays
      // the same
      if (restricted.get(0).get("token").equals(id)) {
        assertThat(restricted.get(0).get("token_str")).isEqualTo(token);
        assertThat(((Number) restricted.get(0).get("score")).doubleValue())
            .isCloseTo(all.getDouble("masks[0].candidates[" + k + "].score"), within(1e-5));
        matched++;
      }
    }
    assertThat(matched).isEqualTo(2);
  }

  @Test
  void concurrentRequestsAreBatchedAndAllAnswered() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String text = "문장 " + i + " 에서 [MASK] 를 채운다.";
        statuses.add(
            pool.submit(() -> given().queryParam("text", text).get("/fill-mask").statusCode()));
      }
      for (var status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdown();
    }
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("te_batch_next_size_count", "te_queue_size");
  }
}
