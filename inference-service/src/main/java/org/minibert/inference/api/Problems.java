package org.minibert.inference.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.minibert.core.io.Json;
import org.minibert.inference.batch.QueueShareException;
import org.minibert.inference.batch.RetryLaterException;
import org.minibert.inference.service.BadInputException;
import org.minibert.inference.service.InferenceFailedException;
import org.minibert.inference.version.ModelUnavailableException;

/**
 * Turns every failure into an {@code application/problem+json} response: 4xx with a clear {@code
 * detail} for bad requests, 429 with {@code Retry-After} when a client asks for more than its share
 * (too many requests at once, too much of the queue), 503 with {@code Retry-After} when the service
 * cannot take any request now (no model, shutting down, a queue deadline), and for anything
 * unexpected a 500 without a stack trace (which goes to the log only).
 */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class);
  static final int RETRY_AFTER_NO_MODEL = 5;

  @ServerExceptionMapper
  public Response map(Throwable error) {
    return response(error);
  }

  /** The problem response for a failure (also for the failures of asynchronous answers). */
  public static Response response(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof BadInputException) {
      return problem(400, e.getMessage());
    }
    if (e instanceof ApiException api) {
      return problem(api.status(), e.getMessage());
    }
    if (e instanceof ModelUnavailableException) {
      return Response.fromResponse(problem(503, e.getMessage()))
          .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_NO_MODEL)
          .build();
    }
    if (e instanceof QueueShareException later) {
      return Response.fromResponse(problem(429, e.getMessage()))
          .header(HttpHeaders.RETRY_AFTER, later.retryAfterSeconds())
          .build();
    }
    if (e instanceof RetryLaterException later) {
      return Response.fromResponse(problem(503, e.getMessage()))
          .header(HttpHeaders.RETRY_AFTER, later.retryAfterSeconds())
          .build();
    }
    if (e instanceof InferenceFailedException) {
      return problem(500, e.getMessage());
    }
    if (e instanceof WebApplicationException web) {
      int status = web.getResponse().getStatus();
      String detail =
          switch (status) {
            case 404 -> "no such resource; see /q/openapi for the API";
            case 405 -> "this method is not allowed here; see /q/openapi for the API";
            case 406 -> "this resource answers application/json only";
            case 415 -> "send the body as application/json";
            default -> web.getMessage();
          };
      return problem(status, detail);
    }
    LOG.error("unexpected error answering a request", e);
    return problem(
        500,
        "internal error (" + e.getClass().getSimpleName() + "); the service log has the details");
  }

  static Response problem(int status, String detail) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
    try {
      String body = Json.toLine(new Problem("about:blank", title, status, detail));
      return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
