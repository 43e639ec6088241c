package org.minibert.inference.testing;

import io.vertx.core.Context;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Test-only: for a request with the header {@value #REQUEST_HEADER}, answers in {@value
 * #RESPONSE_HEADER} whether the response was built and written on an event loop ({@code
 * event-loop}) or on which other thread.
 */
public class ThreadProbe {
  public static final String REQUEST_HEADER = "X-Test-Thread-Probe";
  public static final String RESPONSE_HEADER = "X-Test-Answered-On";

  @ServerResponseFilter
  public void probe(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getHeaderString(REQUEST_HEADER) != null) {
      response
          .getHeaders()
          .putSingle(
              RESPONSE_HEADER,
              Context.isOnEventLoopThread() ? "event-loop" : Thread.currentThread().getName());
    }
  }
}
