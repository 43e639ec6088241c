/**
 * The benchmarks: commands that print figures and write the reports in {@code bench/out}, never
 * tests. Start at {@link org.minibert.bench.BenchCli} ({@code bench/run training|export}); {@link
 * org.minibert.bench.BenchReport} writes every report's header (machine, JVM, versions); {@link
 * org.minibert.bench.ExportModel} makes an untrained model version with the project's own code.
 */
package org.minibert.bench;
