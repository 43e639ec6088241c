package org.minibert.inference.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.minibert.inference.testing.TinyModel;

/** Hot reload under load, and a corrupted version that must not replace the serving one. */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class HotReloadTest {

  @BeforeEach
  void ready() {
    Await.ready();
  }

  private static String store() {
    return System.getProperty(LocalStoreResource.STORE_PROPERTY);
  }

  /** Hammers the service from 6 threads until stopped; returns what failed. */
  private static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger ok = new AtomicInteger();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> versions = new ConcurrentLinkedQueue<>();
    final ExecutorService pool = Executors.newFixedThreadPool(6);
    final List<Future<?>> workers = new ArrayList<>();

    Load() {
      for (int t = 0; t < 6; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; running.get() && i < 100_000; i++) {
                    var response =
                        thread % 3 == 2
                            ? given()
                                .contentType(ContentType.JSON)
                                .body(Map.of("first", "비가 왔다.", "second", "우산을 썼다."))
                                .post("/nsp")
                            : given().queryParam("text", "나는 [MASK]에 간다. " + i).get("/fill-mask");
                    if (response.statusCode() == 200) {
                      ok.incrementAndGet();
                      versions.add(response.header("X-Model-Version"));
                    } else {
                      failures.add(response.statusCode() + " " + response.asString());
                    }
                  }
                }));
      }
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get();
      }
      pool.shutdown();
    }
  }

  @Test
  void aNewVersionIsSwappedInWhileRequestsRunWithoutAFailure() throws Exception {
    String before = Await.servedVersion();
    String next;
    try (Load load = new Load()) {
      Thread.sleep(300);
      next = TinyModel.publish(store());
      Await.until(
          "the new version to serve",
          Duration.ofSeconds(30),
          () -> next.equals(Await.servedVersion()));
      int served = load.ok.get();
      Await.until(
          "requests on the new version", Duration.ofSeconds(10), () -> load.ok.get() > served + 50);
      load.close();
      assertThat(load.failures).as("failed requests during the swap").isEmpty();
      assertThat(load.versions).contains(before, next);
    }
    String metrics = given().get("/q/metrics").then().extract().asString();
    assertThat(metrics).contains("minibert_model_info{model=\"minibert\",provider=");
    assertThat(metrics).contains("version=\"" + next + "\"");
  }

  @Test
  void aCorruptedVersionIsRejectedAndTheOldOneKeepsServing() throws Exception {
    String serving = Await.servedVersion();
    double failuresBefore = reloadFailures();
    try (Load load = new Load()) {
      String corrupted = TinyModel.publishCorrupted(store());
      // a checksum mismatch is tried minibert.reload.bad-attempts (3) times, then rejected
      Await.until(
          "the corrupted version to be rejected",
          Duration.ofSeconds(30),
          () -> reloadFailures() >= failuresBefore + 3);
      Thread.sleep(1000); // a few more polls: it is not retried, and the old version keeps serving
      load.close();
      assertThat(load.failures).isEmpty();
      assertThat(Await.servedVersion()).isEqualTo(serving);
      assertThat(reloadFailures()).isEqualTo(failuresBefore + 3);
      String lastError = given().get("/model").then().statusCode(200).extract().path("last_error");
      // its kind and version only: the file, the store and the digests are in the log
      assertThat(lastError)
          .contains(corrupted)
          .contains("does not match its manifest")
          .doesNotContain(store())
          .doesNotContain("checksum mismatch");
      given().get("/q/health/ready").then().statusCode(200);
    }
    // a good version after the bad one is picked up again
    String good = TinyModel.publish(store());
    Await.until(
        "the good version after the corrupted one",
        Duration.ofSeconds(30),
        () -> good.equals(Await.servedVersion()));
  }

  @Test
  void aStoreThatFailsForAWhileDuringAHotSwapDelaysItButDoesNotCancelIt() throws Exception {
    String serving = Await.servedVersion();
    double failuresBefore = reloadFailures();
    String next;
    try (Load load = new Load()) {
      // LATEST names a version whose model.onnx the store cannot give for now
      next = TinyModel.publishWithoutModelFile(store());
      Await.until(
          "more failed fetches than bad-attempts",
          Duration.ofSeconds(30),
          () -> reloadFailures() >= failuresBefore + 5);
      assertThat(Await.servedVersion()).isEqualTo(serving);
      given().get("/q/health/ready").then().statusCode(200);
      assertThat(given().get("/model").then().extract().<String>path("last_error"))
          .contains("could not be fetched from the store")
          .contains(next)
          .doesNotContain(store())
          .doesNotContain("no such object");
      // the store recovers: the version is swapped in without LATEST changing
      TinyModel.uploadModelFile(store(), next);
      Await.until(
          "the version once the store recovered",
          Duration.ofSeconds(30),
          () -> next.equals(Await.servedVersion()));
      load.close();
      assertThat(load.failures).as("failed requests").isEmpty();
    }
    assertThat(given().get("/model").then().extract().<String>path("last_error")).isNull();
  }

  private static double reloadFailures() {
    String metrics = given().get("/q/metrics").then().extract().asString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("minibert_model_reloads_total{result=\"failure\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }
}
