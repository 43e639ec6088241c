package org.minibert.inference.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.S3StoreResource;
import org.minibert.inference.testing.TinyModel;

/**
 * The service on an S3 store (S3Proxy in the test JVM) that is empty at start: readiness is DOWN
 * with the reason and requests get 503 while liveness stays UP; once a version is published to S3
 * it is loaded and served.
 */
@QuarkusTest
@TestProfile(S3StoreTest.S3Profile.class)
@WithTestResource(S3StoreResource.class)
class S3StoreTest {

  public static class S3Profile implements QuarkusTestProfile {}

  @Test
  void readinessIsDownUntilAVersionIsPublishedToS3ThenItServes() throws Exception {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'model' }.status", org.hamcrest.Matchers.equalTo("DOWN"))
        .body(
            "checks.find { it.name == 'model' }.data.reason", org.hamcrest.Matchers.notNullValue());
    assertThat(given().get("/q/health/ready").then().extract().asString())
        .as("readiness names no store")
        .doesNotContain("s3://")
        .doesNotContain("minibert-models");
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/started").then().statusCode(200);
    given()
        .queryParam("text", "[MASK] 입니다")
        .get("/fill-mask")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", "5")
        .body("detail", containsString("no model is loaded yet"));
    given().get("/model").then().statusCode(503).contentType("application/problem+json");

    String version = TinyModel.publish(System.getProperty(S3StoreResource.STORE_PROPERTY));
    Await.until(
        "the version published to S3",
        Duration.ofSeconds(30),
        () -> given().get("/q/health/ready").statusCode() == 200);
    assertThat(Await.servedVersion()).isEqualTo(version);
    assertThat(given().get("/model").then().extract().asString())
        .as("/model names no store")
        .doesNotContain("s3://")
        .doesNotContain("minibert-models");
    given()
        .queryParam("text", "[MASK] 입니다")
        .get("/fill-mask")
        .then()
        .statusCode(200)
        .body("version", org.hamcrest.Matchers.equalTo(version));
  }
}
