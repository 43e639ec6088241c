/**
 * Serving: {@link org.minibert.bench.serving.ServingBenchmark} ({@code bench/serving.sh}) against
 * raw ONNX Runtime and a transformers.js server, with {@link org.minibert.bench.serving.HttpLoad}
 * as the load generator and {@link org.minibert.bench.serving.ServiceInternals} reading the
 * service's own metrics; {@link org.minibert.bench.serving.TokenizerLatency}, {@link
 * org.minibert.bench.serving.GraphLatency} and {@link org.minibert.bench.serving.MemoryUnderLoad}
 * look at one part each.
 */
package org.minibert.bench.serving;
