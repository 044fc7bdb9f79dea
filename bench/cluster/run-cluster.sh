#!/usr/bin/env bash
# Issue 5's figures (BENCHMARKS.md, "Cluster (issue 5)"): local clusters of real node processes on this machine,
# SmtpLoad (its own JVM) as the load generator. Builds the jars, then runs, each on fresh clusters:
#   throughput: msg/s of 1-, 2- and 3-node clusters (8 KiB messages, 12 sessions round-robin over the nodes)
#   latency:    end-of-DATA -> 250 for a local vs a remote owner (2 nodes, 1 session), and the stage means
#   failover:   kill -9 of a node under a probe's load: when its users' mail flows to their secondary
#
# usage: bench/cluster/run-cluster.sh [throughput|latency|failover|all] [extra ClusterBench options]
# Raw output: bench-results/cluster-<time>/<figure>.txt (copy the kept ones to bench/results/).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WHAT=${1:-all}; shift || true
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
./mvnw -q -B package -DskipTests -pl cli,bench -am
OUT="$ROOT/bench-results/cluster-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/cm-cluster-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
run() { # figure [options]
  local figure=$1; shift
  { echo "# $(date -u +%FT%TZ) $(nproc) CPUs, $(uptime)"; echo "# ClusterBench $figure $*"
    java -cp bench/target/benchmarks.jar org.clustermail.bench.cluster.ClusterBench "$figure" \
      --jar cli/target/clustermail.jar --bench bench/target/benchmarks.jar --dir "$WORK/$figure" "$@" 2>&1 \
      | grep --line-buffered -v -e ' DEBUG ' -e '^created '
    echo "# done $(date -u +%FT%TZ), $(uptime)"; } | tee "$OUT/$figure.txt"
}
case "$WHAT" in
  throughput) run throughput "$@" ;;
  latency) run latency "$@" ;;
  failover) run failover "$@" ;;
  all) run throughput "$@"; run latency "$@"; run failover "$@" ;;
  *) echo "usage: $0 [throughput|latency|failover|all] [options]" >&2; exit 2 ;;
esac
echo "raw results: $OUT"
