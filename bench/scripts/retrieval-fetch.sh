#!/usr/bin/env bash
# Issue 6 figure: fetch all of N 8 KB messages of one user over IMAP (FETCH 1:* BODY.PEEK[] and RFC822) and POP3
# (RETR 1..N), clustermail and Dovecot side by side in the same run, both driven by ../shared/peers/fetch_test.py.
# Usage: bench/scripts/retrieval-fetch.sh [N=1000] [REPS=3]   (as root: the Dovecot baseline installs via apt)
# Raw output: bench/results/retrieval-fetch.txt (appended, with the machine load before each half).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${1:-1000}
REPS=${2:-3}
OUT=$ROOT/bench/results/retrieval-fetch.txt
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
chmod 755 "$WORK"   # Dovecot reads the Maildirs under it as user vmail
cp -r "$ROOT/../shared/peers" "$WORK/peers"
. "$ROOT/scripts/find-jdk.sh"
[ -f "$ROOT/bench/target/benchmarks.jar" ] || (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl bench -am)

echo "== $(date -u +%FT%TZ) N=$N REPS=$REPS $(nproc) cores" >> "$OUT"

# clustermail: a node with N messages of 8,624 octets (the size Postfix+Dovecot store for smtp_blast's 8 KiB).
echo "-- clustermail, load before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
exec {to_node}> >(java -cp "$ROOT/bench/target/benchmarks.jar" org.clustermail.bench.retrieval.RetrievalNode \
    "$N" 8624 12143 12110 > "$WORK/node.log" 2>&1)
for _ in $(seq 1 600); do grep -q '^READY' "$WORK/node.log" && break; sleep 0.5; done
grep '^READY' "$WORK/node.log" >> "$OUT"
# One unrecorded pass first, for both servers: the JIT warms up here, the page cache there.
python3 "$WORK/peers/fetch_test.py" --no-setup --user user10000@example.test --password testpass --n "$N" \
    --reps 1 --imap-port 12143 --pop3-port 12110 --out "$WORK/warmup.txt" > /dev/null
python3 "$WORK/peers/fetch_test.py" --no-setup --user user10000@example.test --password testpass --n "$N" \
    --reps "$REPS" --imap-port 12143 --pop3-port 12110 --out "$WORK/clustermail.txt"
sed 's/^/clustermail /' "$WORK/clustermail.txt" >> "$OUT"
exec {to_node}>&-
sleep 3

# Dovecot 2.3 behind Postfix, the baseline of ../shared/peers (installed and configured by its own script).
echo "-- dovecot, load before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
(cd "$WORK/peers" && ./setup_baseline.sh > "$WORK/setup.log" 2>&1 && ./services.sh start \
    && python3 fetch_test.py --n "$N" --reps 1 --out "$WORK/warmup-dovecot.txt" > /dev/null \
    && python3 fetch_test.py --no-setup --n "$N" --reps "$REPS" --out "$WORK/dovecot.txt"; ./services.sh stop)
sed 's/^/dovecot /' "$WORK/dovecot.txt" >> "$OUT"
tail -n $((6 * REPS + 8)) "$OUT"
rm -rf "$WORK"
