package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * Past {@code minibert.limits.max-concurrent-requests} an inference request is answered 429
 * problem+json with Retry-After (not 503), and the requests within the cap are served; once the
 * flood is over every request is served again (the count of requests in flight goes back down).
 */
@QuarkusTest
@TestProfile(ConcurrencyLimitTest.TwoAtOnce.class)
@WithTestResource(LocalStoreResource.class)
class ConcurrencyLimitTest {

  public static class TwoAtOnce implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "minibert.limits.max-concurrent-requests", "2",
          "minibert.batch.workers", "1",
          "minibert.batch.retry-after-seconds", "3");
    }
  }

  @Test
  void requestsBeyondTheCapAreAnswered429WithRetryAfter() throws Exception {
    Await.ready();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      texts.add("나는 [MASK]에 간다. 문장 " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 80; i++) {
        answers.add(
            pool.submit(
                () ->
                    given()
                        .contentType(ContentType.JSON)
                        .body(Map.of("inputs", texts))
                        .post("/fill-mask")));
      }
      int refused = 0;
      for (Future<Response> future : answers) {
        Response answer = future.get();
        if (answer.statusCode() == 429) {
          refused++;
          assertThat(answer.header("Retry-After")).isEqualTo("3");
          assertThat(answer.contentType()).startsWith("application/problem+json");
          assertThat(answer.jsonPath().getString("detail"))
              .contains("minibert.limits.max-concurrent-requests");
        } else {
          assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        }
      }
      assertThat(refused).as("requests beyond the cap of 2").isPositive();
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < 5; i++) {
      given().queryParam("text", "서울 [MASK]").get("/fill-mask").then().statusCode(200);
    }
  }
}
