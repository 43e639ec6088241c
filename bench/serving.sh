#!/usr/bin/env bash
# GET /fill-mask through the service vs raw ONNX Runtime in-process (the same serving graph) vs a Node server around
# transformers.js' fill-mask pipeline (the same version folder) vs DJL, short and ~100-token inputs, at 1, 8 and 32
# clients, with each process's resident memory (bench/README.md).
# Usage: bench/serving.sh [SECONDS_PER_ROW]   (default 10; writes bench/target/serving/benchmark.md)
# Env: BENCH_RUN=RUN to benchmark a trained run (exported by the project's exporter; adds DJL in-process rows);
#      BENCH_STORE=URI to benchmark a published model instead of the exported 6-layer shape;
#      BENCH_CLIENTS=1,8,32 the concurrencies; BENCH_ROWS=raw,service,tjs,djl the rows;
#      BENCH_SERVICE_OPTS="-Dminibert.batch.workers=1 ..." service settings; BENCH_OUT=FILE the report;
#      BENCH_TJS=0 skips transformers.js (else npm installs @huggingface/transformers once into
#      bench/transformers-js/, git-ignored; its postinstall downloads nothing: the CPU onnxruntime-node is in the
#      package).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TJS_VERSION=4.3.2
TJS="$ROOT/bench/transformers-js"
if [[ "${BENCH_TJS:-1}" != "0" ]]; then
  if [[ ! -f "$TJS/node_modules/@huggingface/transformers/package.json" ]]; then
    echo "serving.sh: installing @huggingface/transformers@$TJS_VERSION into $TJS ..." >&2
    mkdir -p "$TJS"
    [[ -f "$TJS/package.json" ]] || echo '{"private": true}' > "$TJS/package.json"
    (cd "$TJS" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip ONNXRUNTIME_NODE_INSTALL=skip \
      npm install --no-audit --no-fund --loglevel=error "@huggingface/transformers@$TJS_VERSION") >&2
  fi
  # beside its node_modules, so that the server's import finds the package
  cp "$ROOT/bench/src/main/node/fill-mask-server.mjs" "$TJS/"
fi
BENCH_JAVA_OPTS="-Xmx2g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  ${BENCH_RUN:+-Dbench.run=$BENCH_RUN} ${BENCH_STORE:+-Dbench.store=$BENCH_STORE} \
  ${BENCH_CLIENTS:+-Dbench.clients=$BENCH_CLIENTS} ${BENCH_ROWS:+-Dbench.rows=$BENCH_ROWS} \
  ${BENCH_OUT:+-Dbench.out=$BENCH_OUT} $([[ "${BENCH_TJS:-1}" != "0" ]] && echo "-Dbench.tjs=$TJS")" \
  exec "$ROOT/bench/run" org.minibert.bench.serving.ServingBenchmark "$ROOT" "${1:-10}"
