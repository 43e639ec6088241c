package org.minibert.inference.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.RawHttp;

/** The serving metrics carry text-embeddings-inference's names and count what was served. */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class ServingMetricsTest {

  private static final List<String> COUNTED =
      List.of(
          "te_request_count_total{method=\"single\"}",
          "te_request_count_total{method=\"batch\"}",
          "te_request_success_total{method=\"single\"}",
          "te_request_success_total{method=\"batch\"}",
          "te_request_duration_count",
          "te_request_tokenization_duration_count",
          "te_request_queue_duration_count",
          "te_request_inference_duration_count",
          "te_request_input_length_count",
          "te_batch_next_size_count",
          "te_batch_next_tokens_count",
          "te_batch_inference_size_count",
          "te_batch_inference_duration_count",
          "te_batch_inference_success_total");

  @Test
  void requestsAreCountedUnderTextEmbeddingsInferenceNames() {
    Await.ready();
    Map<String, Double> before = Metrics.read(COUNTED);
    for (int i = 0; i < 3; i++) {
      given().queryParam("text", "나는 [MASK]에 간다 " + i).get("/fill-mask").then().statusCode(200);
    }
    given()
        .contentType(ContentType.JSON)
        .body(
            List.of(
                Map.of("first", "비가 왔다.", "second", "우산을 썼다."),
                Map.of("first", "a", "second", "b")))
        .post("/nsp")
        .then()
        .statusCode(200);
    given().queryParam("text", "no mask here").get("/fill-mask").then().statusCode(400);
    Map<String, Double> after = Metrics.read(COUNTED);

    assertThat(after.get("te_request_count_total{method=\"single\"}"))
        .isGreaterThanOrEqualTo(before.get("te_request_count_total{method=\"single\"}") + 4);
    assertThat(after.get("te_request_success_total{method=\"single\"}"))
        .isGreaterThanOrEqualTo(before.get("te_request_success_total{method=\"single\"}") + 3);
    assertThat(after.get("te_request_success_total{method=\"batch\"}"))
        .isGreaterThanOrEqualTo(before.get("te_request_success_total{method=\"batch\"}") + 1);
    assertThat(after.get("te_request_input_length_count"))
        .isGreaterThanOrEqualTo(before.get("te_request_input_length_count") + 5);
    for (String name : COUNTED) {
      assertThat(after.get(name)).as(name).isGreaterThan(before.get(name));
    }
    String text = given().get("/q/metrics").then().extract().asString();
    assertThat(text)
        .contains("te_request_failure_total{err=\"validation\"}")
        .contains("te_request_duration_bucket{le=")
        .contains("te_batch_next_tokens_bucket{le=")
        .contains("te_queue_size");
  }

  @Test
  void inventedHttpMethodsMakeNoNewMetricSeries() throws Exception {
    Await.ready();
    for (String method : new String[] {"FOOBAR", "BREW", "XYZZY1"}) {
      RawHttp.send(method, "/fill-mask?text=x");
    }
    String text = given().get("/q/metrics").then().extract().asString();
    assertThat(text)
        .doesNotContain("method=\"FOOBAR\"")
        .doesNotContain("method=\"BREW\"")
        .doesNotContain("method=\"XYZZY1\"");
    assertThat(text).contains("method=\"OTHER\"").contains("method=\"GET\"");
  }

  /** Reads counts off /q/metrics. */
  static final class Metrics {
    static Map<String, Double> read(List<String> names) {
      String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
      Map<String, Double> values = new java.util.HashMap<>();
      for (String name : names) {
        values.put(
            name,
            text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0));
      }
      return values;
    }
  }
}
