package org.minibert.inference.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * With tracing on ({@code quarkus.otel.sdk.disabled=false}), a request's trace holds the HTTP
 * server span and, under it, the service's tokenize, queue and inference spans.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@WithTestResource(LocalStoreResource.class)
class TracingTest {

  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.otel.sdk.disabled", "false",
          "quarkus.otel.exporter.otlp.enabled", "false",
          "quarkus.otel.bsp.schedule.delay", "50ms");
    }
  }

  @Inject InMemorySpanExporter spans;

  @BeforeEach
  void ready() {
    Await.ready();
    spans.reset();
  }

  @Test
  void aFillMaskRequestIsTracedThroughTokenizationQueueAndInference() {
    given().queryParam("text", "대한민국의 수도는 [MASK]이다.").get("/fill-mask").then().statusCode(200);

    SpanData server =
        awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/fill-mask"));
    String trace = server.getTraceId();
    SpanData tokenize =
        awaitSpan(s -> s.getName().equals(RequestTracing.TOKENIZE) && s.getTraceId().equals(trace));
    SpanData queue =
        awaitSpan(s -> s.getName().equals(RequestTracing.QUEUE) && s.getTraceId().equals(trace));
    SpanData infer =
        awaitSpan(s -> s.getName().equals(RequestTracing.INFER) && s.getTraceId().equals(trace));

    assertThat(tokenize.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(queue.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(infer.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(tokenize.getAttributes().asMap().toString()).contains("fill-mask");
    assertThat(infer.getLinks()).isNotEmpty();
    assertThat(queue.getEndEpochNanos()).isLessThanOrEqualTo(infer.getStartEpochNanos());
    assertThat(tokenize.getEndEpochNanos()).isLessThanOrEqualTo(queue.getStartEpochNanos());
  }

  @Test
  void anNspRequestIsTracedToo() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("first", "비가 왔다.", "second", "우산을 썼다."))
        .post("/nsp")
        .then()
        .statusCode(200);
    SpanData tokenize = awaitSpan(s -> s.getName().equals(RequestTracing.TOKENIZE));
    assertThat(tokenize.getAttributes().asMap().toString()).contains("nsp");
    awaitSpan(
        s ->
            s.getName().equals(RequestTracing.INFER)
                && s.getTraceId().equals(tokenize.getTraceId()));
  }

  private SpanData awaitSpan(java.util.function.Predicate<SpanData> which) {
    Optional<SpanData>[] found = new Optional[] {Optional.empty()};
    Await.until(
        "a finished span",
        Duration.ofSeconds(10),
        () -> {
          List<SpanData> finished = spans.getFinishedSpanItems();
          found[0] = finished.stream().filter(which).findFirst();
          return found[0].isPresent();
        });
    return found[0].orElseThrow();
  }
}
