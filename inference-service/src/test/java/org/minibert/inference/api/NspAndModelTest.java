package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.onnx.ExecutionProvider;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.TinyModel;

/** /nsp, /model, health, metrics and OpenAPI. */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class NspAndModelTest {

  @BeforeEach
  void ready() {
    Await.ready();
  }

  @Test
  void nspAnswersOnePairAndAList() {
    JsonPath one =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("first", "나는 아침에 학교에 갔다.", "second", "수업은 9시에 시작했다."))
            .post("/nsp")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Float> logits = one.getList("logits", Float.class);
    assertThat(logits).hasSize(2);
    double p = one.getDouble("probability");
    double expected = 1 / (1 + Math.exp(logits.get(1) - logits.get(0)));
    assertThat(p).isCloseTo(expected, within(1e-5));
    assertThat(one.getBoolean("is_next")).isEqualTo(p >= 0.5);

    JsonPath list =
        given()
            .contentType(ContentType.JSON)
            .body(
                List.of(
                    Map.of("first", "비가 왔다.", "second", "우산을 썼다."),
                    Map.of("first", "나는 아침에 학교에 갔다.", "second", "수업은 9시에 시작했다.")))
            .post("/nsp")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(list.getList("$")).hasSize(2);
    assertThat(list.getDouble("[1].probability")).isCloseTo(p, within(1e-5));
  }

  @Test
  void modelDescribesTheServedVersionAndTheCpuFallbackOfTheGpuJar() {
    JsonPath model = given().get("/model").then().statusCode(200).extract().jsonPath();
    assertThat(model.getString("version")).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
    assertThat(model.getString("created_at")).isNotBlank();
    assertThat(model.getInt("config.num_hidden_layers")).isEqualTo(2);
    assertThat(model.getInt("max_positions")).isEqualTo(64);
    assertThat(model.getString("metrics.note")).contains("randomly initialised");
    assertThat(model.getDouble("parity.max_abs_diff")).isLessThan(1e-4);
    // nothing internal: no store address, no local path, not the trainer's run folder
    assertThat(model.getMap("$")).doesNotContainKey("store");
    assertThat(model.getString("source.run")).isEqualTo("test-fixture");
    String raw = given().get("/model").then().extract().asString();
    assertThat(raw)
        .doesNotContain(System.getProperty(LocalStoreResource.STORE_PROPERTY))
        .doesNotContain(TinyModel.RUN_FOLDER)
        .doesNotContain(System.getProperty("java.io.tmpdir") + "/");
    if (!ExecutionProvider.nvidiaDriverPresent()) {
      // minibert.device=auto without a driver: CPU, without trying CUDA
      assertThat(model.getString("provider")).isEqualTo("CPUExecutionProvider");
    }
    if (!"cpu".equals(System.getProperty("onnxruntime.flavour"))) {
      // the default build serves with the GPU jar: its CUDA provider is there, the service still
      // runs on CPU
      assertThat(OrtEnvironment.getAvailableProviders()).contains(OrtProvider.CUDA);
    }
  }

  @Test
  void healthMetricsAndOpenApi() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/started").then().statusCode(200);
    JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
    assertThat(ready.getString("checks.find { it.name == 'model' }.data.version")).isNotBlank();

    given().queryParam("text", "[MASK] 입니다").get("/fill-mask").then().statusCode(200);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("http_server_requests_seconds_bucket{")
        .contains("uri=\"/fill-mask\"")
        .contains("te_batch_inference_size_count")
        .contains("te_queue_size")
        .contains("minibert_model_info{")
        .contains("minibert_model_reloads_total{result=\"success\"}");

    String openapi =
        given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    assertThat(openapi).contains("/fill-mask", "/nsp", "/model", "token_str", "examples");
    given().get("/q/swagger-ui/").then().statusCode(200);
  }
}
