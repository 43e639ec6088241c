package org.minibert.inference.onnx;

/**
 * How {@link OnnxSession} sets up ONNX Runtime (the measurements behind the defaults:
 * bench/out/serving.md).
 *
 * @param provider the execution provider
 * @param intraOpThreads threads of one operator
 * @param interOpThreads threads across operators
 * @param cpuArena ONNX Runtime's CPU memory arena: reuses its allocations across runs, but keeps
 *     the largest batch's memory for the life of the session
 * @param memoryPattern ONNX Runtime's memory pattern: plans one allocation per input shape it has
 *     seen; with dynamic batch and length axes every new shape plans again
 * @param cacheOptimized keep the graph ONNX Runtime optimized for this machine beside the verified
 *     copy of the version and load that one on the next start (CPU provider only)
 */
public record SessionSettings(
    ExecutionProvider provider,
    int intraOpThreads,
    int interOpThreads,
    boolean cpuArena,
    boolean memoryPattern,
    boolean cacheOptimized) {

  /** The provider and thread counts, with ONNX Runtime's own defaults for the rest. */
  public static SessionSettings of(ExecutionProvider provider, int intraOp, int interOp) {
    return new SessionSettings(provider, intraOp, interOp, true, true, false);
  }
}
