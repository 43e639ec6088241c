#!/usr/bin/env bash
# Runs every benchmark on the LibreOffice Korean help pages and writes markdown reports to bench/out/.
# Benchmarks print figures; they are not tests. Takes about 20 minutes on 2 cores. Run on a quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=bench/out
WORK=${BENCH_WORK:-work/bench}
STEPS=${BENCH_SWEEP_STEPS:-200}
mkdir -p "$OUT" "$WORK"

html_dir=$(scripts/fetch-libreoffice-help-ko.sh | sed -n 's/^html_dir=//p')
data="$WORK/lohelp-ko"
[[ -f "$data/dataset.json" ]] || bin/minibert prepare --input "$html_dir" --out "$data" --min-hangul-share 0.5

# 1. training throughput of the three configs (one intra-op thread, then two)
bench/run training --data "$data" --threads 1 --report "$OUT/training-1thread.md"
bench/run training --data "$data" --threads 2 --report "$OUT/training-2threads.md"

# 2. export time and parity of a trained 6-layer model
run="$WORK/runs/deep-120"
[[ -f "$run/checkpoint.json" ]] || bin/minibert train --data "$data" --out "$run" --max-steps 120 --log-every 10 --eval-instances 500
bin/minibert evaluate --run "$run" --probes samples/probes.tsv --eval-instances 500 > "$OUT/evaluate-deep-120.txt"
bench/run export --run "$run" --report "$OUT/export.md"

# 3. the reference experiments at small scale: learning-rate sweep, depth vs width (same data, same budget)
bin/minibert sweep --data "$data" --out "$WORK/sweep-lr" --max-lrs 5e-4,1e-3,1.5e-3,3e-3 --max-steps "$STEPS" --eval-instances 1000
bin/minibert sweep --data "$data" --out "$WORK/sweep-shape" --configs deep-6L-96D,standard-2L-128D,shallow-1L-144D --max-steps "$STEPS" --eval-instances 1000
cp "$WORK/sweep-lr/summary.md" "$OUT/sweep-lr.md"; cp "$WORK/sweep-lr/summary.png" "$OUT/sweep-lr.png"
cp "$WORK/sweep-shape/summary.md" "$OUT/sweep-shape.md"; cp "$WORK/sweep-shape/summary.png" "$OUT/sweep-shape.png"

# 4. inference: raw ONNX Runtime in-process vs the HTTP service at 1, 8, 32 connections, and DJL in-process,
#    on the trained 6-layer model
BENCH_RUN="$run" bench/serving.sh "${BENCH_SECONDS:-10}"
cp bench/target/serving/benchmark.md "$OUT/serving.md"

echo "reports in $OUT/"
