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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * A flood of 64-text requests beside a small client, on a small queue (128 places, one worker
 * taking 8 inputs at a time): the flood is answered 200 or 429 with Retry-After, never 503 (which
 * meshes retry), and the small client keeps being answered, because a many-input request may take
 * at most half of the queue's free places ({@code minibert.limits.max-queue-share}).
 */
@QuarkusTest
@TestProfile(AdmissionTest.SmallQueue.class)
@WithTestResource(LocalStoreResource.class)
class AdmissionTest {
  static final int FLOOD_CLIENTS = 8;
  static final int SMALL_REQUESTS = 30;

  public static class SmallQueue implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "minibert.batch.queue-capacity", "128",
          "minibert.batch.workers", "1",
          "minibert.batch.max-size", "8",
          "minibert.batch.retry-after-seconds", "1",
          // on a busy test machine a queued request may wait long: the deadline is not tested here
          "minibert.request-timeout", "60s");
    }
  }

  @Test
  void aSmallClientBesideAFloodOfLargeRequestsKeepsBeingAnswered() throws Exception {
    Await.ready();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      texts.add("나는 [MASK]에 간다. 문장 " + i);
    }
    AtomicBoolean flooding = new AtomicBoolean(true);
    Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
    AtomicInteger floodWithoutRetryAfter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(FLOOD_CLIENTS);
    List<Future<?>> flood = new ArrayList<>();
    for (int c = 0; c < FLOOD_CLIENTS; c++) {
      flood.add(
          pool.submit(
              () -> {
                while (flooding.get()) {
                  Response answer =
                      given()
                          .contentType(ContentType.JSON)
                          .body(Map.of("inputs", texts))
                          .post("/fill-mask");
                  floodStatuses
                      .computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
                      .incrementAndGet();
                  if (answer.statusCode() != 200 && answer.header("Retry-After") == null) {
                    floodWithoutRetryAfter.incrementAndGet();
                  }
                }
              }));
    }
    List<String> refusals = new ArrayList<>();
    try {
      Thread.sleep(500); // the flood is under way
      for (int i = 0; i < SMALL_REQUESTS; i++) {
        Response answer = given().queryParam("text", "서울 [MASK]").get("/fill-mask");
        if (answer.statusCode() != 200) {
          refusals.add(answer.statusCode() + " " + answer.asString());
        }
        Thread.sleep(50);
      }
    } finally {
      flooding.set(false);
      for (Future<?> f : flood) {
        f.get();
      }
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(floodStatuses.keySet())
        .as("the flood's statuses %s", floodStatuses)
        .containsExactlyInAnyOrder(200, 429);
    assertThat(floodWithoutRetryAfter.get()).as("429 without Retry-After").isZero();
    assertThat(refusals).as("the small client's refused requests").isEmpty();
  }
}
