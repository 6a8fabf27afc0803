#!/usr/bin/env bash
# Every TPC-H template on Citus beside the same template on one PostgreSQL, in one run: two Quarry
# instances already serving the same scale, one on a Citus coordinator, one on a plain server.
#   CITUS_URL=http://127.0.0.1:18441 SINGLE_URL=http://127.0.0.1:18442 bash src/test/bench/citus-benchmark.sh
# Each template runs once to warm caches, then ROUNDS times on each side, alternating, so that a
# neighbour's load on a shared machine falls on both; the table shows medians, the ratio Citus/one
# node, and the plan type Citus chose (from the template's EXPLAIN on the coordinator).
set -euo pipefail
CITUS_URL=${CITUS_URL:?the Quarry on the Citus coordinator, e.g. http://127.0.0.1:18441}
SINGLE_URL=${SINGLE_URL:?the Quarry on one PostgreSQL, e.g. http://127.0.0.1:18442}
ROUNDS=${ROUNDS:-3}

millis() { # url: the time of one answer, failing on anything but 200
    local out
    out=$(curl -sS -m 300 -o /dev/null -w '%{http_code} %{time_total}' "$1")
    [[ ${out%% *} == 200 ]] || { echo "HTTP ${out%% *} from $1" >&2; exit 1; }
    awk -v t="${out##* }" 'BEGIN { printf "%d", t * 1000 }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
plan_type() { # the kind of distributed plan of a template (as Quarry sends it: wrapped for a page), from Citus' EXPLAIN
    curl -fsS -m 300 "$CITUS_URL/queries/$1?_explain=true" | python3 -c '
import json, sys
tasks, subplans, repartition = [], [], []
def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Task Count":
                tasks.append(value)
            elif key == "Subplans":
                subplans.append(len(value))
            elif key in ("MapMergeJob", "Map Task Count", "Merge Task Count"):
                repartition.append(key)
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)
walk(json.load(sys.stdin))
kinds = ["multi-shard" if max(tasks) > 1 else "router"] if tasks else ["coordinator only"]
if sum(subplans):
    kinds.append(f"{sum(subplans)} subplan" + ("s" if sum(subplans) > 1 else ""))
if repartition:
    kinds.append("repartition")
print(", ".join(kinds))'
}

echo "| template | one node ms | Citus ms | Citus / one node | Citus plan |"
echo "|---|---:|---:|---:|---|"
for n in $(seq -w 1 22); do
    name=tpch/q$n
    millis "$SINGLE_URL/queries/$name" >/dev/null
    millis "$CITUS_URL/queries/$name" >/dev/null
    single="" citus=""
    for _ in $(seq 1 "$ROUNDS"); do
        single="$single $(millis "$SINGLE_URL/queries/$name")"
        citus="$citus $(millis "$CITUS_URL/queries/$name")"
    done
    s=$(echo "$single" | median)
    c=$(echo "$citus" | median)
    echo "| $name | $s | $c | $(awk -v c="$c" -v s="$s" 'BEGIN { printf "%.2f", c / s }') | $(plan_type "$name") |"
done
