package org.minibert.inference.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.minibert.core.io.Json;
import org.minibert.inference.config.MiniBertConfig;

/**
 * What every request passes before any resource sees it, on the event loop and in a few
 * microseconds, in this order:
 *
 * <ol>
 *   <li>the security headers ({@link SecurityHeaders}) on every answer;
 *   <li>the API key, when {@code minibert.api-key} is set: every route but the open ones ({@link
 *       Routes#isOpen}) needs {@code Authorization: Bearer <key>}, else 401 with {@code
 *       WWW-Authenticate: Bearer};
 *   <li>a POST body must be JSON (415 otherwise), so that a cross-site page cannot send one as a
 *       CORS "simple" request;
 *   <li>admission: at most {@code minibert.limits.max-concurrent-requests} inference requests at
 *       once; one more is answered 429 with Retry-After before its query or body is read.
 * </ol>
 *
 * The refusals are problem+json, with the protocol's {@code error} member too under {@code /v2}.
 * The management interface (health and metrics on their own port) gets the security headers only.
 */
@ApplicationScoped
public class HttpGuard {
  private static final Logger LOG = Logger.getLogger(HttpGuard.class);

  /** Before Quarkus' own routes (the REST resources, the static files, /q/openapi). */
  static final int ORDER = -1000;

  @Inject MiniBertConfig config;

  private final AtomicInteger inFlight = new AtomicInteger();
  private ApiKeys keys;

  void install(@Observes Router router) {
    keys = ApiKeys.of(config.apiKey());
    LOG.infof(
        keys.required()
            ? "API keys set: every route but health and the playground page needs Bearer"
            : "no API key set (minibert.api-key): every route is open");
    router.route().order(ORDER).handler(this::guard);
  }

  void installManagement(@Observes ManagementInterface management) {
    management
        .router()
        .route()
        .order(ORDER)
        .handler(
            ctx -> {
              SecurityHeaders.add(ctx.response().headers(), ctx.normalizedPath());
              ctx.next();
            });
  }

  /** Inference requests being handled now. */
  int inFlight() {
    return inFlight.get();
  }

  private void guard(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = ctx.normalizedPath();
    SecurityHeaders.add(ctx.response().headers(), path);
    if (keys.required()
        && !Routes.isOpen(path)
        && !keys.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"minibert\"");
      refuse(
          ctx,
          401,
          request.getHeader(HttpHeaders.AUTHORIZATION) == null
              ? "this route needs an API key: send Authorization: Bearer <key>"
              : "the API key is not valid: send Authorization: Bearer <key> with a current key");
      return;
    }
    if (request.method() == HttpMethod.POST
        && !Routes.isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      refuse(ctx, 415, "send the body as JSON with Content-Type: application/json");
      return;
    }
    if (Routes.isInference(request.method(), path)) {
      int max = config.limits().maxConcurrentRequests();
      if (inFlight.incrementAndGet() > max) {
        inFlight.decrementAndGet();
        int retryAfter = config.batch().retryAfterSeconds();
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfter));
        refuse(
            ctx,
            429,
            "too many requests: "
                + max
                + " are being answered (minibert.limits.max-concurrent-requests); retry in "
                + retryAfter
                + " s");
        return;
      }
      ctx.addEndHandler(ended -> inFlight.decrementAndGet());
    }
    ctx.next();
  }

  /**
   * Ends the request with a problem; under {@code /v2} the problem also carries the protocol's
   * {@code error} member (RFC 9457 allows extension members), so that both kinds of client read it.
   */
  private static void refuse(RoutingContext ctx, int status, String detail) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", HttpResponseStatus.valueOf(status).reasonPhrase());
    problem.put("status", status);
    problem.put("detail", detail);
    if (Routes.speaksOip(ctx.normalizedPath())) {
      problem.put("error", detail);
    }
    String body;
    try {
      body = Json.toLine(problem);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(body);
  }
}
