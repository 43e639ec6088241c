/**
 * Training throughput of the model configs ({@link org.minibert.bench.training.TrainingBenchmark})
 * and the time and parity of an ONNX export ({@link org.minibert.bench.training.ExportBenchmark}).
 */
package org.minibert.bench.training;
