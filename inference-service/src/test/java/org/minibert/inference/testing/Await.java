package org.minibert.inference.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the service in tests, with a deadline. */
public final class Await {
  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** Until /q/health/ready is UP (the model is loaded). */
  public static void ready() {
    until(
        "readiness",
        Duration.ofSeconds(60),
        () -> given().get("/q/health/ready").statusCode() == 200);
  }

  /** The version GET /model reports now. */
  public static String servedVersion() {
    return given().get("/model").then().statusCode(200).extract().path("version");
  }
}
