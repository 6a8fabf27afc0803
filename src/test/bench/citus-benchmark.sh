#!/usr/bin/env bash
# Citus beside one node (src/site/markdown/benchmarks/citus.md).
# A benchmark, not a test: run it by hand, as root, on a
# machine that is otherwise quiet:
#
#   src/test/bench/citus-benchmark.sh
#
# It sets everything up itself, with deploy/verify/citus-cluster.sh (the setup of deploy/verify/citus.sh):
# PostgreSQL 15 and Citus (built from CITUS_SOURCE unless already built for this PostgreSQL), a Citus
# coordinator with two workers and one plain PostgreSQL 15, as the postgres OS user, loopback only;
# TPC-H at scale BENCH_SCALE loaded into both with Quarry's `load` (Citus: orders and lineitem
# distributed by order key, 32 shards, the rest reference tables); and one Quarry on each, as the
# reader role. The jar is built when it is missing. Then it measures:
#   - `load` on each side, one after the other: its wall-clock time, lineitem's COPY rate and the
#     keys-indexes-statistics step. Measured when the scale is first loaded and kept beside the data
#     (a rerun finds the loaded clusters and reports those first-run times);
#   - every tpch/qNN template as a JSON page: one warm-up on each side, then ROUNDS rounds alternating
#     the two sides (so that a neighbour's load falls on both); the medians, the ratio Citus / one node,
#     and the plan Citus chose (from the template's EXPLAIN on the coordinator, as Quarry sends it);
#   - shard pruning: one order by its key (tpch/order, and a filter on o_orderkey) against the same
#     orders filtered by customer, which no shard can be skipped for: Citus' Task Count and the
#     median latency of BENCH_LOOKUPS requests on each side.
# The table (markdown) is printed and written to target/bench-citus/results-sf<scale>.md.
# Everything it starts is stopped on exit; the data directories stay, under
# target/bench-citus/sf<scale>/ (one cluster set per scale), so a rerun skips the load (loading scale 1
# into Citus takes minutes), with the same server ports (they are part of a cluster: it refuses others).
# Remove that directory to measure the load again.
#
# Options, from the environment:
#   BENCH_SCALE (1)           TPC-H scale factor
#   ROUNDS (3)                measured rounds per template, after one warm-up
#   BENCH_LOOKUPS (20)        requests per side for each pruning lookup
#   BENCH_QUERY_TIMEOUT (300s) Quarry's statement timeout (quarry.query.timeout) on both sides
#   BENCH_COORDINATOR_PORT (55441), BENCH_WORKER1_PORT (55442), BENCH_WORKER2_PORT (55443),
#   BENCH_SINGLE_PORT (55444): the servers; BENCH_QUARRY_CITUS_PORT (18441), BENCH_QUARRY_SINGLE_PORT
#   (18442): the two Quarries. All on 127.0.0.1.
#   CITUS_SOURCE (../shared/citus/citus-13.2.2-src-min.tar.gz beside the repository), SERVER_USER (postgres)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCALE=${BENCH_SCALE:-1}
ROUNDS=${ROUNDS:-3}
LOOKUPS=${BENCH_LOOKUPS:-20}
QUERY_TIMEOUT=${BENCH_QUERY_TIMEOUT:-300s}
COORDINATOR_PORT=${BENCH_COORDINATOR_PORT:-55441}
WORKER1_PORT=${BENCH_WORKER1_PORT:-55442}
WORKER2_PORT=${BENCH_WORKER2_PORT:-55443}
SINGLE_PORT=${BENCH_SINGLE_PORT:-55444}
QUARRY_CITUS_PORT=${BENCH_QUARRY_CITUS_PORT:-18441}
QUARRY_SINGLE_PORT=${BENCH_QUARRY_SINGLE_PORT:-18442}
OUT=$ROOT/target/bench-citus
WORK=$OUT/sf${SCALE//./_}.run
DATA=$OUT/sf${SCALE//./_}
RESULTS=$OUT/results-sf${SCALE//./_}.md
source "$ROOT/deploy/verify/citus-cluster.sh"

log() { printf '[citus-benchmark %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fatal() { log "error: $*"; exit 1; }

RUNNING=""
cleanup() {
    local status=$?
    stop_quarries
    [[ -n $RUNNING ]] && stop_servers fast
    [[ -n $BUILD ]] && rm -rf "$BUILD"
    ((status == 0)) || log "stopped early (exit status $status); logs are in $WORK and $DATA"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

((EUID == 0)) || fatal "run it as root: the servers run as $SERVER_USER, and Citus may need building"
for tool in java curl python3 awk; do
    command -v "$tool" >/dev/null || fatal "$tool is needed"
done
mkdir -p "$OUT"
rm -rf "$WORK"
mkdir -p "$WORK/templates/bench"
citus_install
quarry_jar

# ---- the servers: the ones of an earlier run of this scale, or new ones ----
# the ports are part of a cluster (each server's configuration, the workers' addresses on the coordinator)
PORTS="$COORDINATOR_PORT $WORKER1_PORT $WORKER2_PORT $SINGLE_PORT"
if [[ -f $DATA/cluster-ready && "$(cat "$DATA/cluster-ready")" != "$PORTS" ]]; then
    fatal "the servers in $DATA were made with the ports $(cat "$DATA/cluster-ready") (coordinator, workers, single): set those, or remove $DATA"
fi
RUNNING=yes
if [[ -f $DATA/cluster-ready ]]; then
    start_cluster
else
    rm -rf "$DATA"
    create_cluster
    add_workers
    create_reader_role
    echo "$PORTS" >"$DATA/cluster-ready"
fi

# ---- load, one side after the other; a scale already loaded is not loaded again ----
load_side() { # side port: loads, and keeps the first load's figures in $DATA/load-<side>
    local side=$1 port=$2 started seconds
    log "loading TPC-H scale $SCALE into $side (nothing to do when it is loaded)"
    started=$(date +%s%N)
    load_into "$port" --scale "$SCALE" || { tail -20 "$WORK/load-$port.log" >&2; fatal "load into $side (see $WORK/load-$port.log)"; }
    seconds=$(awk -v ns=$(($(date +%s%N) - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    if grep -q 'nothing to do' "$WORK/load-$port.log"; then
        [[ -f $DATA/load-$side ]] || log "  $side was loaded, but not by this script: no load time to report"
        return
    fi
    log "  in $seconds s"
    # the loader's own lines: lineitem's COPY rate and the keys, indexes and statistics step
    local rate keys
    rate=$(grep -oE 'lineitem +[0-9,]+ rows +[0-9.]+ s +[0-9,]+ rows/s' "$WORK/load-$port.log" | awk '{print $(NF - 1)}' | tail -1)
    keys=$(grep -oE 'statistics in [0-9.]+ s' "$WORK/load-$port.log" | awk '{print $3}' | tail -1)
    echo "$seconds ${rate:-?} ${keys:-?} $(date -u +%FT%TZ) $(cut -d' ' -f1 /proc/loadavg)" >"$DATA/load-$side"
}
load_side citus "$COORDINATOR_PORT"
load_side single "$SINGLE_PORT"

# ---- Quarry on each ----
# the orders as a plain relation, for the pruning lookups through generic filters
cat >"$WORK/templates/bench/orders.sql" <<'EOF'
-- Orders as they are stored, for lookups by generic filters (o_orderkey=..., o_custkey=...)
-- @key o_orderkey
SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority FROM orders
EOF
log "starting Quarry on the coordinator (:$QUARRY_CITUS_PORT) and on the plain PostgreSQL (:$QUARRY_SINGLE_PORT)"
start_quarry "$COORDINATOR_PORT" "$QUARRY_CITUS_PORT" "$WORK/quarry-citus.log" -Dquarry.query.timeout="$QUERY_TIMEOUT"
start_quarry "$SINGLE_PORT" "$QUARRY_SINGLE_PORT" "$WORK/quarry-single.log" -Dquarry.query.timeout="$QUERY_TIMEOUT"
wait_ready "$QUARRY_CITUS_PORT" "$WORK/quarry-citus.log"
wait_ready "$QUARRY_SINGLE_PORT" "$WORK/quarry-single.log"
CITUS_URL=http://127.0.0.1:$QUARRY_CITUS_PORT
SINGLE_URL=http://127.0.0.1:$QUARRY_SINGLE_PORT

millis() { # url: the time of one answer in ms, failing on anything but 200
    local out
    out=$(curl -sS -m 600 -o /dev/null -w '%{http_code} %{time_total}' "$1")
    [[ ${out%% *} == 200 ]] || fatal "HTTP ${out%% *} from $1"
    awk -v t="${out##* }" 'BEGIN { printf "%.1f", t * 1000 }'
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v c="$1" -v s="$2" 'BEGIN { printf "%.2f", c / s }'; }
explain() { # path with query: Quarry's EXPLAIN of it on Citus, as JSON
    local separator='?'
    [[ $1 == *\?* ]] && separator='&'
    curl -fsS -m 600 "$CITUS_URL/queries/$1${separator}_explain=true"
}
plan_type() { # the kind of distributed plan of a template (as Quarry sends it: wrapped for a page)
    explain "$1" | python3 -c '
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
task_count() { # path with query: the largest Task Count of its plan on Citus
    explain "$1" | grep -oE '"Task Count" *: *[0-9]+' | grep -oE '[0-9]+$' | sort -n | tail -1
}
alternate() { # path with query, rounds: sets SINGLE_MS and CITUS_MS, the medians after one warm-up each
    local single="" citus=""
    millis "$SINGLE_URL/queries/$1" >/dev/null
    millis "$CITUS_URL/queries/$1" >/dev/null
    for _ in $(seq 1 "$2"); do
        single="$single $(millis "$SINGLE_URL/queries/$1")"
        citus="$citus $(millis "$CITUS_URL/queries/$1")"
    done
    SINGLE_MS=$(echo "$single" | median)
    CITUS_MS=$(echo "$citus" | median)
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
TABLE=$WORK/table.md
{
    echo "| template | one node ms | Citus ms | Citus / one node | Citus plan (as Quarry sends it) |"
    echo "|---|---:|---:|---:|---|"
} >"$TABLE"
for n in $(seq -w 1 22); do
    name=tpch/q$n
    log "$name"
    alternate "$name" "$ROUNDS"
    echo "| $name | $SINGLE_MS | $CITUS_MS | $(ratio "$CITUS_MS" "$SINGLE_MS") | $(plan_type "$name") |" >>"$TABLE"
done

# shard pruning: order 7 exists at every scale; its customer's orders are spread over the shards
CUSTOMER=$(value_on "$SINGLE_PORT" "SELECT o_custkey FROM orders WHERE o_orderkey = 7")
PRUNING=$WORK/pruning.md
{
    echo "| lookup | Citus Task Count | one node ms | Citus ms | Citus / one node |"
    echo "|---|---:|---:|---:|---:|"
} >"$PRUNING"
for lookup in "tpch/order?orderkey=7" "bench/orders?o_orderkey=7" "bench/orders?o_custkey=$CUSTOMER"; do
    log "$lookup"
    alternate "$lookup" "$LOOKUPS"
    echo "| \`$lookup\` | $(task_count "$lookup") | $SINGLE_MS | $CITUS_MS | $(ratio "$CITUS_MS" "$SINGLE_MS") |" >>"$PRUNING"
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

load_row() { # side: its first load's figures, or dashes
    if [[ -f $DATA/load-$1 ]]; then cat "$DATA/load-$1"; else echo "- - - - -"; fi
}
read -r citus_s citus_rate citus_keys citus_at citus_loadavg < <(load_row citus)
read -r single_s single_rate single_keys single_at single_loadavg < <(load_row single)
{
    echo "Citus beside one node: TPC-H scale $SCALE, $(date -u +%F), $(nproc) cores, PostgreSQL 15,"
    echo "$(value_on "$COORDINATOR_PORT" "SELECT citus_version()" | cut -d, -f1) (coordinator + 2 workers, $(value_on "$COORDINATOR_PORT" "SELECT count(*) FROM citus_shards WHERE table_name = 'lineitem'::regclass") shards of lineitem), all on this machine."
    echo "Rounds per template: $ROUNDS after one warm-up, the two sides alternating; 1-minute load average $LOAD_BEFORE before, $LOAD_AFTER after."
    echo
    cat "$TABLE"
    echo
    echo "Shard pruning ($LOOKUPS requests per side after one warm-up, medians):"
    echo
    cat "$PRUNING"
    echo
    echo "Load (\`load --scale $SCALE\`, one side after the other, when this scale was first loaded):"
    echo
    echo "| | one node | Citus | Citus / one node |"
    echo "|---|---:|---:|---:|"
    if [[ $citus_s != - && $single_s != - ]]; then
        echo "| wall clock, s | $single_s | $citus_s | $(ratio "$citus_s" "$single_s") |"
    else
        echo "| wall clock, s | $single_s | $citus_s | |"
    fi
    echo "| COPY of lineitem, rows/s | $single_rate | $citus_rate | |"
    echo "| keys, indexes, categories and statistics, s | $single_keys | $citus_keys | |"
    echo "| measured at (1-minute load average) | $single_at ($single_loadavg) | $citus_at ($citus_loadavg) | |"
} | tee "$RESULTS"
log "written to $RESULTS"
