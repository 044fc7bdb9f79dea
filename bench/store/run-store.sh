#!/usr/bin/env bash
# Issue 3's figures in one run, on one disk: the disk's fsync limit (the peers' run_disk.sh: C, 1/4/16 writers,
# and fio), then JMH: the raw create+write 8 KB+fsync+rename+dir-fsync rate with 16 writers, durable delivery of
# 8 KB messages by 16 writers to random users (Maildir and mbox, per file and group commit), listings and unread
# counts of a 100,000-message folder; then the heap cost of mailboxes in memory (StoreFootprint).
#
# usage: bench/store/run-store.sh [JMH_EXTRA_ARGS...]     (as root, like the peers; data under /tmp, same disk)
# Raw output and the load average before/after each part go to bench-results/store-<time>/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/peers}
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
./mvnw -q -B package -DskipTests -pl bench -am
OUT="$ROOT/bench-results/store-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/cm-store-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r "$PEERS_SRC" "$WORK/peers"; chmod -R u+w "$WORK/peers"; rm -rf "$WORK/peers/results"
JAR="$ROOT/bench/target/benchmarks.jar"
load() { echo "$1: $(uptime)" | tee -a "$OUT/load.txt"; }

echo "machine: $(nproc) CPUs; $(java -version 2>&1 | head -1)" | tee "$OUT/machine.txt"
load "before disk"
(cd "$WORK/peers" && ./run_disk.sh 10 3) 2>&1 | tee "$OUT/disk.txt"
load "before delivery"
java -jar "$JAR" 'store\.(RawDurableWrite|StoreDelivery)Benchmark' -jvmArgsAppend "-Dbench.dir=$WORK" \
  -rf text -rff "$OUT/delivery-summary.txt" "$@" 2>&1 | grep -v DEBUG | tee "$OUT/delivery.txt"
load "before listing"
java -jar "$JAR" 'store\.ListingBenchmark' -jvmArgsAppend "-Dbench.dir=$WORK" \
  -rf text -rff "$OUT/listing-summary.txt" "$@" 2>&1 | grep -v DEBUG | tee "$OUT/listing.txt"
load "before footprint"
java -Xmx2g -Dbench.dir="$WORK" -cp "$JAR" org.clustermail.bench.store.StoreFootprint 20000 50000 2>&1 \
  | grep -v DEBUG | tee "$OUT/footprint.txt"
load "end"
echo "raw results: $OUT"
