package org.minibert.inference.api;

import io.vertx.core.MultiMap;

/**
 * The headers every answer carries: a Content-Security-Policy under which the playground works (its
 * own script, style sheet and API only; no inline script, no framing), {@code nosniff}, no referrer
 * and no framing for older browsers.
 */
final class SecurityHeaders {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  /** Swagger UI (development only) starts itself with an inline script. */
  static final String SWAGGER_UI_CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void add(MultiMap headers, String path) {
    headers
        .set("Content-Security-Policy", path.startsWith("/q/swagger-ui") ? SWAGGER_UI_CSP : CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
  }
}
