#!/usr/bin/env bash
# GET /fill-mask through the service vs raw ONNX Runtime in-process, at 1, 8 and 32 clients (README "Benchmark").
# Usage: inference-service/bench.sh [SECONDS_PER_ROW]   (default 10; writes e2e/target/bench/benchmark.md)
# Env: BENCH_RUN=RUN to benchmark a trained run (exported by the project's exporter; adds DJL in-process rows);
#      BENCH_STORE=URI to benchmark a published model instead of the exported 6-layer shape;
#      BENCH_CLIENTS=1,8,32 the concurrencies; BENCH_SERVICE_OPTS="-Dminibert.batch.workers=1 ..." service settings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# the packaged service and the e2e module's test classes (the benchmark lives there), tests compiled but not run
./mvnw -q -B -pl e2e -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
M="$ROOT/e2e"
# the class path goes through CLASSPATH, not -cp: ONNX Runtime 1.29 crashes in a JVM whose command line exceeds ~4 KB
export CLASSPATH="$M/target/test-classes:$(cat "$M/target/test.classpath")"
export DJL_OFFLINE=true
exec java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  ${BENCH_RUN:+-Dbench.run=$BENCH_RUN} ${BENCH_STORE:+-Dbench.store=$BENCH_STORE} \
  ${BENCH_CLIENTS:+-Dbench.clients=$BENCH_CLIENTS} "-Dbench.service.opts=${BENCH_SERVICE_OPTS:-}" \
  org.minibert.e2e.bench.ServingBenchmark "$ROOT" "${1:-10}"
