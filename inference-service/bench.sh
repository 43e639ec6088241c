#!/usr/bin/env bash
# GET /fill-mask through the service vs raw ONNX Runtime in-process, at 1, 8 and 32 clients (README "Benchmark").
# Usage: inference-service/bench.sh [SECONDS_PER_ROW]   (default 10; writes inference-service/target/bench/benchmark.md)
# Env: BENCH_RUN=RUN to benchmark a trained run (exported by the project's exporter; adds DJL in-process rows);
#      BENCH_STORE=URI to benchmark a published model instead of the exported 6-layer shape;
#      BENCH_CLIENTS=1,8,32 the concurrencies; BENCH_SERVICE_OPTS="-Dminibert.batch.workers=1 ..." service settings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# tests compiled (the benchmark lives in the test-model sources) but not run
./mvnw -q -B -pl inference-service -am package -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
M="$ROOT/inference-service"
# the class path goes through CLASSPATH, not -cp: ONNX Runtime 1.29 crashes in a JVM whose command line exceeds ~4 KB
export CLASSPATH="$M/target/test-classes:$M/target/classes:$(cat "$M/target/test.classpath")"
export DJL_OFFLINE=true
exec java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  ${BENCH_RUN:+-Dbench.run=$BENCH_RUN} ${BENCH_STORE:+-Dbench.store=$BENCH_STORE} \
  ${BENCH_CLIENTS:+-Dbench.clients=$BENCH_CLIENTS} "-Dbench.service.opts=${BENCH_SERVICE_OPTS:-}" \
  org.minibert.inference.bench.ServingBenchmark "$ROOT" "${1:-10}"
