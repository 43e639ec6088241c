package org.minibert.inference.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.TinyModel;

/**
 * Multi-input POSTs meeting a full queue (4 places, one worker taking one input at a time), while a
 * new version is swapped in (the share check, which would refuse them before, is off): each is
 * answered 200 or 503 problem with Retry-After, none is left hanging, and the service keeps serving
 * afterwards. Before jobs were claimed atomically, the refused requests released their version
 * while a worker still ran one of their inputs.
 */
@QuarkusTest
@TestProfile(OverloadTest.SmallQueue.class)
@WithTestResource(LocalStoreResource.class)
class OverloadTest {

  public static class SmallQueue implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "minibert.batch.queue-capacity", "4",
          // a request may take the whole queue: the queue fills part way through a request's inputs
          "minibert.limits.max-queue-share", "1",
          "minibert.batch.workers", "1",
          "minibert.batch.max-size", "1",
          "minibert.batch.retry-after-seconds", "2");
    }
  }

  @Test
  void multiInputPostsOnAFullQueueAreRefusedWholeAndTheServiceKeepsServing() throws Exception {
    Await.ready();
    String before = Await.servedVersion();
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inputs.add("나는 [MASK]에 간다. 문장 " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Response>> answers = new ArrayList<>();
    try {
      String next = null;
      for (int round = 0; round < 20; round++) {
        for (int c = 0; c < 6; c++) {
          answers.add(
              pool.submit(
                  () ->
                      given()
                          .contentType(ContentType.JSON)
                          .body(Map.of("inputs", inputs))
                          .post("/fill-mask")));
        }
        if (round == 5) {
          next = TinyModel.publish(System.getProperty(LocalStoreResource.STORE_PROPERTY));
        }
      }
      int refused = 0;
      for (Future<Response> answer : answers) {
        Response response = answer.get();
        if (response.statusCode() == 503) {
          refused++;
          assertThat(response.contentType()).startsWith("application/problem+json");
          assertThat(response.header("Retry-After")).isEqualTo("2");
          assertThat(response.jsonPath().getString("detail")).contains("at capacity");
        } else {
          assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
          assertThat(response.jsonPath().getList("$")).hasSize(10);
        }
      }
      assertThat(refused).as("some POSTs met the full queue").isPositive();
      String swapped = next;
      Await.until(
          "the new version", Duration.ofSeconds(30), () -> swapped.equals(Await.servedVersion()));
      assertThat(swapped).isNotEqualTo(before);
    } finally {
      pool.shutdown();
    }
    given().queryParam("text", "[MASK] 입니다").get("/fill-mask").then().statusCode(200);
    String metrics = given().get("/q/metrics").then().extract().asString();
    assertThat(metrics).contains("te_request_failure_total{err=\"overloaded\"}");
    assertThat(metrics).contains("te_queue_size 0.0");
  }
}
