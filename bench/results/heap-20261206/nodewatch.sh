#!/bin/bash
# every 10 s, per clustermail node: fds, index fds, store gauges, jstat -gcutil (S0 S1 E O M CCS YGC YGCT FGC FGCT CGC CGCT GCT)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jstat
while true; do
  for p in $(pgrep -f 'clustermail.*serve'); do
    n=$(ls /proc/$p/fd 2>/dev/null | wc -l); i=$(ls -l /proc/$p/fd 2>/dev/null | grep -c clustermail.index)
    u=""
    for port in $(ss -ltnp 2>/dev/null | grep "pid=$p," | awk '{print $4}' | sed 's/.*://'); do
      v=$(curl -s -m 1 http://127.0.0.1:$port/metrics 2>/dev/null | grep -E '^clustermail_(store_(unapplied|cached_mailboxes|cached_summaries)|delivery_copies_total\{.*delivered)' | awk '{printf "%s ", $2}')
      [ -n "$v" ] && u="$v" && break
    done
    g=$($J -gcutil $p 2>/dev/null | tail -1)
    echo "$(date +%s) $(date +%T) pid=$p fds=$n index=$i gauges[delivered unapplied mailboxes summaries]=$u gc=$g"
  done
  sleep 10
done
