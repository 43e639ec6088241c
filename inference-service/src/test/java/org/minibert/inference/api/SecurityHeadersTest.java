package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;

/**
 * Every answer (page, API, problem, 404) carries the security headers, and a POST body must be
 * declared JSON: a cross-site form or a {@code text/plain} "simple" request is refused with 415.
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class SecurityHeadersTest {

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    Await.ready();
    Response[] answers = {
      given().get("/"),
      given().get("/playground.js"),
      given().get("/model"),
      given().queryParam("text", "서울 [MASK]").get("/fill-mask"),
      given().get("/fill-mask"), // 400 problem
      given().get("/no-such-route"),
      given().get("/q/health/ready"),
      given().get("/v2/health/live")
    };
    for (Response answer : answers) {
      String csp = answer.header("Content-Security-Policy");
      assertThat(csp).as(answer.statusLine()).contains("default-src 'self'");
      assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'");
      assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
  }

  @Test
  void aPostWhoseBodyIsNotDeclaredJsonIsRefusedWith415() throws Exception {
    Await.ready();
    String json = "{\"inputs\": \"서울 [MASK]\"}";
    for (String path : new String[] {"/fill-mask", "/nsp", "/v2/models/minibert/infer"}) {
      for (String type :
          new String[] {
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
            null
          }) {
        HttpResponse<String> answer = post(path, type, json);
        assertThat(answer.statusCode()).as(path + " " + type).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(answer.body()).contains("application/json");
      }
    }
    assertThat(post("/fill-mask", "application/json; charset=utf-8", json).statusCode())
        .isEqualTo(200);
  }

  /** A POST as a browser form or a script would send it (REST Assured re-encodes bodies). */
  private static HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
