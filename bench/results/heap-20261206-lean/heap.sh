#!/bin/bash
# usage: heap.sh JARDIR OUTDIR -- one version 2 node, 1 GB, 2,000 msg/s offered, 7 windows of 60 s, sampled every
# 10 s by ../heap-20261206/nodewatch.sh into OUTDIR.watch. JARDIR holds clustermail.jar and benchmarks.jar.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
ulimit -n 20000
bash bench/results/heap-20261206/nodewatch.sh > "$2.watch" 2>&1 &
W=$!
"$JAVA_HOME/bin/java" -Xmx1g -cp "$1/benchmarks.jar" org.clustermail.bench.paper.PaperBench \
  --node-jar "$1/clustermail.jar" --configs version2 --nodes 1 --phases throughput --window 60 --reps 6 \
  --max-steps 1 --start-rate 2000 --node-heap 1g --no-append --out "$2"
kill $W
