package org.minibert.inference.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/** Tracing is off unless switched on: no span reaches an exporter. */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class TracingOffByDefaultTest {
  @Inject InMemorySpanExporter spans;

  @Test
  void noSpansAreRecordedByDefault() throws InterruptedException {
    Await.ready();
    assertThat(ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class))
        .isTrue();
    given().queryParam("text", "서울 [MASK]").get("/fill-mask").then().statusCode(200);
    Thread.sleep(300);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
