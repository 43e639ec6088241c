package org.minibert.inference.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Runs a request's continuation on the Vert.x context that received it (not on the batcher's
 * thread).
 */
final class EventLoop {
  private EventLoop() {}

  static Executor current() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Runnable::run;
    }
    return command -> context.runOnContext(ignored -> command.run());
  }
}
