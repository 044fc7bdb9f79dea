#!/usr/bin/env bash
# Issue 4's figures: SMTP ingress of clustermail side by side with Postfix -> Dovecot LMTP -> Maildir (the peers in
# ../shared/peers), same machine, same run, same load generator (SmtpLoad, its own JVM process): 8 KiB messages to
# random users among USERS, 1/4/16 sessions; accepted and durably stored msg/s, end-of-DATA -> 250 latency p50/p99.
#
# usage: [CM_TEMPLATE=DIR] bench/ingress/run-ingress.sh [SESSIONS=1,4,16] [MESSAGES=10000] [USERS=50000] [REPS=1]
# Needs root (the peers install postfix/dovecot with apt and bind 127.0.0.1:25/24/110/143). Raw output and the
# machine load go to bench-results/ingress-<time>/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SESSIONS=${1:-1,4,16}; MESSAGES=${2:-10000}; USERS=${3:-50000}; REPS=${4:-1}
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/peers}
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
./mvnw -q -B package -DskipTests -pl cli,bench -am
OUT="$ROOT/bench-results/ingress-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/cm-ingress-bench.XXXXXX); chmod 755 "$WORK"  # dovecot (uid dovecot) must reach conf/ in it
cp -r "$PEERS_SRC" "$WORK/peers"; chmod -R u+w "$WORK/peers"
BENCH="$ROOT/bench/target/benchmarks.jar"; CLI="$ROOT/cli/target/clustermail.jar"
CM_PORT=12525
# CM_TEMPLATE=DIR keeps the users and their mailboxes between invocations (making 50,000 takes many minutes).
TEMPLATE=${CM_TEMPLATE:-$WORK/cm-template}
SERVER_PID=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  (cd "$WORK/peers" && ./services.sh stop >/dev/null 2>&1) || true
}
trap cleanup EXIT

load() { # label port maildir-root sessions rep
  echo "uptime_before: $(uptime)" >> "$OUT/load.txt"
  java -cp "$BENCH" org.clustermail.bench.ingress.SmtpLoad --label "$1" --port "$2" --wait-files "$3" \
    --sessions "$4" --messages "$MESSAGES" --users "$USERS" --seed "$5" | tee -a "$OUT/raw.txt"
  echo "uptime_after:  $(uptime)" >> "$OUT/load.txt"
}

clustermail_template() { # users and their empty mailboxes, made once (the peers' e2e.py likewise creates every
                          # user's empty Maildir before it measures Dovecot)
  local t="$TEMPLATE"
  if [ -d "$t/data/node01" ]; then echo "reusing $t" >> "$OUT/setup.txt"; return; fi
  mkdir -p "$t"
  java -cp "$BENCH" org.clustermail.bench.ingress.BenchUsers \
    "jdbc:h2:file:$t/data/directory/directory;AUTO_SERVER=TRUE" "$USERS" example.test > /dev/null
  java -cp "$BENCH" org.clustermail.bench.ingress.BenchMailboxes \
    "jdbc:h2:file:$t/data/directory/directory;AUTO_SERVER=TRUE" "$t/data" | tee -a "$OUT/setup.txt"
}

clustermail_run() { # sessions rep
  # The mailboxes made by clustermail_template are reused run after run (messages accumulate, as with the peers'
  # --keep-store): copying 50,000 of them (4 GB of directories) per run would cost more than the run.
  local d="$TEMPLATE"; sync
  cat > "$d/node.yaml" <<YAML
dataDir: $d/data
cluster:
  - {id: 1, ports: {smtp: $CM_PORT, submission: 12587, smtps: 12465, lmtp: 12424, metrics: 19090}}
smtp: {maxConnections: 100}
YAML
  java -jar "$CLI" serve --config "$d/node.yaml" --no-demo > "$d/serve.out" 2> "$d/serve.err" &
  SERVER_PID=$!
  for _ in $(seq 1 120); do grep -q "Stop with" "$d/serve.out" 2>/dev/null && break; sleep 0.5; done
  load clustermail "$CM_PORT" "$d/data/node01" "$1" "$2"
  curl -s "http://127.0.0.1:19090/metrics" | grep '^clustermail_delivery_stage_seconds' > "$OUT/metrics-s$1-r$2.txt" || true
  kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
}

postfix_run() { # sessions rep
  (cd "$WORK/peers" && ./services.sh stop > /dev/null && python3 - "$USERS" <<'PY'
import pwd, sys, e2e
pw = pwd.getpwnam("vmail")
e2e.reset_store("data/vmail/example.test", int(sys.argv[1]), "example.test", (pw.pw_uid, pw.pw_gid))
PY
  ./services.sh start > /dev/null)
  load postfix-dovecot 25 "$WORK/peers/data/vmail/example.test" "$1" "$2"
}

(cd "$WORK/peers" && ./setup_baseline.sh "$USERS" > "$OUT/setup.txt" 2>&1)
clustermail_template
echo "machine: $(nproc) CPUs; $(uptime)" | tee "$OUT/machine.txt"
for rep in $(seq 1 "$REPS"); do
  for s in ${SESSIONS//,/ }; do
    clustermail_run "$s" "$rep"
    postfix_run "$s" "$rep"
  done
done
echo "raw results: $OUT/raw.txt"
