package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * With {@code minibert.api-key} set (two keys, as during a rotation), every inference route answers
 * 401 problem+json with {@code WWW-Authenticate: Bearer} without a key or with a wrong one, and
 * serves callers with either key; the health checks and the playground page stay open.
 */
@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
@WithTestResource(LocalStoreResource.class)
class ApiKeyTest {
  static final String OLD_KEY = "old-key-4f2a9c";
  static final String NEW_KEY = "new-key-8d1e77";

  public static class WithKeys implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minibert.api-key", OLD_KEY + ", " + NEW_KEY);
    }
  }

  /** Each inference route, as a request to send. */
  static final Map<String, Function<RequestSpecification, Response>> ROUTES =
      Map.of(
          "GET /fill-mask",
          r -> r.queryParam("text", "서울 [MASK]").get("/fill-mask"),
          "POST /fill-mask",
          r ->
              r.contentType(ContentType.JSON)
                  .body(Map.of("inputs", "서울 [MASK]"))
                  .post("/fill-mask"),
          "POST /nsp",
          r ->
              r.contentType(ContentType.JSON)
                  .body(Map.of("first", "비가 왔다.", "second", "우산을 썼다."))
                  .post("/nsp"),
          "GET /model",
          r -> r.get("/model"),
          "GET /v2/models/minibert",
          r -> r.get("/v2/models/minibert"),
          "POST /v2/models/minibert/infer",
          r ->
              r.contentType(ContentType.JSON)
                  .body(
                      Map.of(
                          "inputs",
                          List.of(
                              Map.of(
                                  "name",
                                  "text",
                                  "datatype",
                                  "BYTES",
                                  "shape",
                                  List.of(1),
                                  "data",
                                  List.of("서울 [MASK]")))))
                  .post("/v2/models/minibert/infer"),
          "GET /v2",
          r -> r.get("/v2"),
          "GET /q/openapi",
          r -> r.get("/q/openapi"));

  @BeforeEach
  void ready() {
    org.minibert.inference.testing.Await.until(
        "readiness",
        java.time.Duration.ofSeconds(60),
        () -> given().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void everyInferenceRouteRefusesACallerWithoutAValidKey() {
    for (var route : ROUTES.entrySet()) {
      for (String authorization : new String[] {null, "Bearer wrong-key", "Basic " + OLD_KEY}) {
        RequestSpecification request = given();
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        Response answer = route.getValue().apply(request);
        assertThat(answer.statusCode())
            .as(route.getKey() + " with " + authorization)
            .isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).as(route.getKey()).startsWith("Bearer");
        assertThat(answer.contentType()).as(route.getKey()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getString("detail")).contains("Authorization: Bearer");
      }
    }
  }

  @Test
  void eitherKeyOfARotationIsServed() {
    for (var route : ROUTES.entrySet()) {
      for (String key : new String[] {OLD_KEY, NEW_KEY}) {
        Response answer = route.getValue().apply(given().header("Authorization", "Bearer " + key));
        assertThat(answer.statusCode()).as(route.getKey() + " " + answer.asString()).isEqualTo(200);
      }
    }
  }

  @Test
  void healthAndThePlaygroundPageStayOpen() {
    for (String path :
        new String[] {
          "/q/health/ready", "/q/health/live", "/q/health/started", "/v2/health/live",
          "/v2/health/ready", "/", "/playground.js", "/playground.css"
        }) {
      assertThat(given().get(path).statusCode()).as(path).isEqualTo(200);
    }
  }
}
