package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * {@code /v2}: the Open Inference Protocol (KServe v2, REST), checked against the shapes the
 * protocol's specification gives (server and model metadata, health, inference request and
 * response, {@code {"error": "..."}}) and against the service's own answers.
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class OpenInferenceProtocolTest {
  static final String TEXT = "대한민국의 수도는 [MASK]이다.";

  @BeforeEach
  void ready() {
    Await.ready();
  }

  @Test
  void serverMetadataAndHealthHaveTheProtocolsShape() {
    JsonPath server = given().get("/v2").then().statusCode(200).extract().jsonPath();
    assertThat(server.getMap("$")).containsOnlyKeys("name", "version", "extensions");
    assertThat(server.getString("name")).isEqualTo("minibert-inference");
    assertThat(server.getString("version")).isNotBlank();
    assertThat(server.getList("extensions")).isEmpty();

    given().get("/v2/health/live").then().statusCode(200);
    given().get("/v2/health/ready").then().statusCode(200);
    given().get("/v2/models/minibert/ready").then().statusCode(200);
    given().get("/v2/models/minibert-nsp/ready").then().statusCode(200);
  }

  @Test
  void modelMetadataHasNameVersionsPlatformInputsAndOutputs() {
    String version = Await.servedVersion();
    JsonPath meta = given().get("/v2/models/minibert").then().statusCode(200).extract().jsonPath();
    assertThat(meta.getMap("$"))
        .containsOnlyKeys("name", "versions", "platform", "inputs", "outputs");
    assertThat(meta.getString("name")).isEqualTo("minibert");
    assertThat(meta.getList("versions", String.class)).containsExactly(version);
    assertThat(meta.getString("platform")).isNotBlank();
    assertTensorMetadata(meta.getList("inputs"));
    assertTensorMetadata(meta.getList("outputs"));
    assertThat(meta.getList("inputs.datatype", String.class)).containsExactly("BYTES");
    assertThat(meta.getList("outputs.name", String.class))
        .containsExactly("output-0", "tokens", "scores", "token_ids", "sequences");

    JsonPath nsp =
        given().get("/v2/models/minibert-nsp").then().statusCode(200).extract().jsonPath();
    assertThat(nsp.getList("inputs.name", String.class)).containsExactly("first", "second");
    assertThat(nsp.getList("outputs.name", String.class))
        .containsExactly("probability", "is_next", "logits");

    JsonPath pinned =
        given()
            .get("/v2/models/minibert/versions/" + version)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(pinned.getList("versions", String.class)).containsExactly(version);
    given().get("/v2/models/minibert/versions/" + version + "/ready").then().statusCode(200);
  }

  @Test
  void unknownModelsAndVersionsAre404WithAnError() {
    assertError(given().get("/v2/models/bert-base"), 404, "unknown model bert-base");
    assertError(given().get("/v2/models/bert-base/ready"), 404, "unknown model");
    assertError(
        given()
            .contentType(ContentType.JSON)
            .body(fillMaskBody(List.of(TEXT), null))
            .post("/v2/models/bert-base/infer"),
        404,
        "minibert-nsp");
    assertError(
        given().get("/v2/models/minibert/versions/20200101T000000Z-000000"), 404, "is not loaded");
    assertError(
        given()
            .contentType(ContentType.JSON)
            .body(fillMaskBody(List.of(TEXT), null))
            .post("/v2/models/minibert/versions/20200101T000000Z-000000/infer"),
        404,
        "is not loaded");
  }

  @Test
  void fillMaskAnswersTheTensorsOfTheSameCandidatesAsTheRestApi() {
    Map<String, Object> body = fillMaskBody(List.of(TEXT, "서울 [MASK]"), Map.of("top_k", 3));
    body.put("id", "request-7");
    JsonPath answer =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/v2/models/minibert/infer")
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .jsonPath();
    assertThat(answer.getMap("$")).containsOnlyKeys("model_name", "model_version", "id", "outputs");
    assertThat(answer.getString("model_name")).isEqualTo("minibert");
    assertThat(answer.getString("model_version")).isEqualTo(Await.servedVersion());
    assertThat(answer.getString("id")).isEqualTo("request-7");
    List<Map<String, Object>> outputs = answer.getList("outputs");
    for (Map<String, Object> output : outputs) {
      assertThat(output).containsOnlyKeys("name", "datatype", "shape", "data");
      long elements =
          ((List<?>) output.get("shape"))
              .stream().mapToLong(s -> ((Number) s).longValue()).reduce(1, (a, b) -> a * b);
      assertThat((List<?>) output.get("data")).hasSize((int) elements);
    }
    assertThat(answer.getList("outputs.name", String.class))
        .containsExactly("output-0", "tokens", "scores", "token_ids", "sequences");
    assertThat(answer.getList("outputs.datatype", String.class))
        .containsExactly("BYTES", "BYTES", "FP32", "INT64", "BYTES");
    assertThat(answer.getList("outputs[0].shape", Integer.class)).containsExactly(2);
    assertThat(answer.getList("outputs[1].shape", Integer.class)).containsExactly(2, 1, 3);

    JsonPath rest =
        given()
            .queryParam("text", TEXT)
            .queryParam("top_k", 3)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> tokens = answer.getList("outputs[1].data", String.class);
    List<Float> scores = answer.getList("outputs[2].data", Float.class);
    assertThat(tokens.subList(0, 3))
        .isEqualTo(rest.getList("masks[0].candidates.token", String.class));
    List<Float> restScores = rest.getList("masks[0].candidates.score", Float.class);
    for (int i = 0; i < 3; i++) {
      assertThat(scores.get(i)).isCloseTo(restScores.get(i), within(1e-6f));
    }
    assertThat(answer.getList("outputs[0].data", String.class).get(0)).isEqualTo(tokens.get(0));
    assertThat(answer.getList("outputs[4].data", String.class).get(0))
        .isEqualTo(rest.getString("masks[0].candidates[0].sequence"));
  }

  @Test
  void outputsAskedForAreTheOnlyOnesAnswered() {
    Map<String, Object> body = fillMaskBody(List.of(TEXT), null);
    body.put("outputs", List.of(Map.of("name", "scores"), Map.of("name", "tokens")));
    JsonPath answer =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/v2/models/minibert/infer")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(answer.getList("outputs.name", String.class)).containsExactly("scores", "tokens");
    assertThat(answer.getList("outputs[0].shape", Integer.class)).containsExactly(1, 1, 5);
  }

  @Test
  void nspByModelNameOrParameterMatchesTheRestApi() {
    String first = "비가 왔다.";
    String second = "우산을 썼다.";
    double expected =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("first", first, "second", second))
            .post("/nsp")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getDouble("probability");

    Map<String, Object> byName =
        Map.of(
            "inputs",
            List.of(
                Map.of(
                    "name",
                    "first",
                    "datatype",
                    "BYTES",
                    "shape",
                    List.of(1),
                    "data",
                    List.of(first)),
                Map.of(
                    "name",
                    "second",
                    "datatype",
                    "BYTES",
                    "shape",
                    List.of(1),
                    "data",
                    List.of(second))));
    JsonPath a =
        given()
            .contentType(ContentType.JSON)
            .body(byName)
            .post("/v2/models/minibert-nsp/infer")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(a.getString("model_name")).isEqualTo("minibert-nsp");
    assertThat(a.getList("outputs.name", String.class))
        .containsExactly("probability", "is_next", "logits");
    assertThat(a.getList("outputs.datatype", String.class)).containsExactly("FP32", "BOOL", "FP32");
    assertThat(a.getList("outputs[2].shape", Integer.class)).containsExactly(1, 2);
    assertThat(a.getFloat("outputs[0].data[0]")).isCloseTo((float) expected, within(1e-6f));
    assertThat(a.getBoolean("outputs[1].data[0]")).isEqualTo(expected >= 0.5);

    Map<String, Object> byParameter =
        Map.of(
            "parameters",
            Map.of("task", "nsp"),
            "inputs",
            List.of(
                Map.of(
                    "name",
                    "pairs",
                    "datatype",
                    "BYTES",
                    "shape",
                    List.of(2, 2),
                    "data",
                    List.of(List.of(first, second), List.of(second, first)))));
    JsonPath b =
        given()
            .contentType(ContentType.JSON)
            .body(byParameter)
            .post("/v2/models/minibert/infer")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(b.getList("outputs[0].shape", Integer.class)).containsExactly(2);
    assertThat(b.getFloat("outputs[0].data[0]")).isCloseTo((float) expected, within(1e-6f));
  }

  @Test
  void badRequestsAre400WithTheProtocolsErrorBody() {
    assertError(post("{\"inputs\": ["), 400, "malformed JSON");
    assertError(post("[]"), 400, "must be a JSON object");
    assertError(post("{\"inputs\": []}"), 400, "inputs must be a non-empty list");
    assertError(
        post(
            "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"FP32\", \"shape\": [1], \"data\":"
                + " [1.0]}]}"),
        400,
        "takes BYTES");
    assertError(
        post(
            "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [2], \"data\":"
                + " [\"a [MASK]\"]}]}"),
        400,
        "holds 2 elements but data has 1");
    assertError(post(fillMaskJson("마스크 없음")), 400, "[MASK]");
    assertError(
        given()
            .contentType(ContentType.JSON)
            .body(fillMaskBody(List.of(TEXT), Map.of("top_k", 500)))
            .post("/v2/models/minibert/infer"),
        400,
        "top_k");
    assertError(
        given()
            .contentType(ContentType.JSON)
            .body(fillMaskBody(List.of(TEXT, "[MASK] 와 [MASK]"), null))
            .post("/v2/models/minibert/infer"),
        400,
        "different numbers of [MASK]");
    Map<String, Object> unknownOutput = fillMaskBody(List.of(TEXT), null);
    unknownOutput.put("outputs", List.of(Map.of("name", "logits")));
    assertError(
        given().contentType(ContentType.JSON).body(unknownOutput).post("/v2/models/minibert/infer"),
        400,
        "unknown output logits");
    assertError(
        given()
            .contentType(ContentType.JSON)
            .body(fillMaskBody(List.of(TEXT), null))
            .post("/v2/models/minibert-nsp/infer"),
        400,
        "first and second");
  }

  @Test
  void aShapeWhoseSizeOverflowsIs400NotAnInternalError() {
    // 2^62 x 4 elements: more than a long holds
    assertError(
        post(
            "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\":"
                + " [4611686018427387904, 4], \"data\": [\"a [MASK]\"]}]}"),
        400,
        "more elements than a tensor can hold");
  }

  private static Response post(String json) {
    return given().contentType(ContentType.JSON).body(json).post("/v2/models/minibert/infer");
  }

  private static String fillMaskJson(String text) {
    return "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\":"
        + " [\""
        + text
        + "\"]}]}";
  }

  static Map<String, Object> fillMaskBody(List<String> texts, Map<String, Object> parameters) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put(
        "inputs",
        List.of(
            Map.of(
                "name",
                "text",
                "datatype",
                "BYTES",
                "shape",
                List.of(texts.size()),
                "data",
                texts)));
    if (parameters != null) {
      body.put("parameters", parameters);
    }
    return body;
  }

  private static void assertTensorMetadata(List<Map<String, Object>> tensors) {
    assertThat(tensors).isNotEmpty();
    for (Map<String, Object> t : tensors) {
      assertThat(t).containsOnlyKeys("name", "datatype", "shape");
      assertThat(t.get("name")).isInstanceOf(String.class);
      assertThat((String) t.get("datatype")).isIn("BYTES", "FP32", "INT64", "BOOL");
      assertThat((List<?>) t.get("shape"))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s).isInstanceOf(Integer.class));
    }
  }

  private static void assertError(Response response, int status, String contains) {
    response.then().statusCode(status).contentType(ContentType.JSON);
    Map<String, Object> body = response.jsonPath().getMap("$");
    assertThat(body).containsOnlyKeys("error");
    assertThat((String) body.get("error")).contains(contains);
  }
}
