package org.minibert.inference.lifecycle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * A version that does not fit in memory is not loaded (here: the tiny model with a memory factor no
 * machine meets): no crash, the process stays alive, and readiness and requests say why.
 */
@QuarkusTest
@TestProfile(MemoryRefusalTest.TooLarge.class)
@WithTestResource(LocalStoreResource.class)
class MemoryRefusalTest {

  public static class TooLarge implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minibert.reload.memory-factor", "1e15");
    }
  }

  @Test
  void aVersionThatDoesNotFitIsRefusedWithTheReason() {
    Await.until(
        "the memory check to refuse the version",
        Duration.ofSeconds(30),
        () ->
            given()
                .get("/q/health/ready")
                .then()
                .extract()
                .asString()
                .contains("minibert.reload.memory-factor"));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body(
            "checks.find { it.name == 'model' }.data.reason",
            containsString("MiB are available; not loaded"));
    given().get("/q/health/live").then().statusCode(200);
    given()
        .queryParam("text", "[MASK] 입니다")
        .get("/fill-mask")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("detail", containsString("needs about"));
  }
}
