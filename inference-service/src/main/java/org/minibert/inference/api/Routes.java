package org.minibert.inference.api;

import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which routes are open to anyone and which are inference: the map {@link HttpGuard} applies. Every
 * route not listed as open needs the API key when one is set (deny by default).
 */
final class Routes {
  /** The playground's static page (its API calls need the key), and the probes' health checks. */
  private static final Set<String> OPEN_FILES =
      Set.of("/", "/index.html", "/playground.js", "/playground.css", "/favicon.ico");

  private static final Pattern INFER = Pattern.compile("/v2/models/[^/]+(/versions/[^/]+)?/infer");

  private Routes() {}

  /** Open without a key: the playground's files, {@code /q/health/*}, {@code /v2/health/*}. */
  static boolean isOpen(String path) {
    return OPEN_FILES.contains(path)
        || path.equals("/q/health")
        || path.startsWith("/q/health/")
        || path.startsWith("/v2/health/")
        || path.equals("/q/swagger-ui")
        || path.startsWith("/q/swagger-ui/"); // static files (the document they load needs the key)
  }

  /** The routes that run the model, whose concurrent requests are capped. */
  static boolean isInference(HttpMethod method, String path) {
    if (method == HttpMethod.POST) {
      return path.equals("/fill-mask") || path.equals("/nsp") || INFER.matcher(path).matches();
    }
    return method == HttpMethod.GET && path.equals("/fill-mask");
  }

  /** The routes that answer the Open Inference Protocol's {@code {"error": ...}}. */
  static boolean speaksOip(String path) {
    return path.startsWith("/v2/") || path.equals("/v2");
  }

  /**
   * Whether a {@code Content-Type} is JSON: {@code application/json} or {@code application/*+json}.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
