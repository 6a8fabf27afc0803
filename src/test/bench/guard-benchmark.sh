#!/usr/bin/env bash
# Guard rails benchmark (src/site/markdown/benchmarks/guard.md). A benchmark, not a timed test: run it by
# hand, from anywhere:
#
#   src/test/bench/guard-benchmark.sh              # scale 1
#
# It builds the jar when it is missing, keeps its own embedded PostgreSQL under target/bench-guard/postgres
# (TPC-H loaded once with `load --scale S`: a rerun finds it there), and starts four Quarry processes on
# that one database, authentication on (an RSA key made for the run signs the callers' tokens):
#   base    no budget, no quotas;
#   budget  quarry.budget.default=cost 1e9: every request is checked, none refused;
#   quotas  quarry.quota.running=8, waiting=8 for any caller, and 1 running, 1 waiting for the role bulk;
#   roles   as quotas, and quarry.budget.roles.bulk=cost 100000: the role's callers may not run what costs more.
# PostgreSQL runs on half the cores and everything else (the Quarry processes, wrk) on the other half, as
# if on two machines (taskset; BENCH_PIN=0 leaves every process on every core).
# 1. The cost of the budget check: tpch/order (a point lookup by a random existing key) at 16 clients with
#    wrk, against base and budget in turn, BENCH_ROUNDS times each (A B A B ...: whatever else loads the
#    machine weighs on both); medians of req/s and p99, and budget / base.
# 2. One caller flooding beside another: the steady caller (subject steady) runs a mix of three lookups to
#    one tpch/q06 (random discount) on 4 connections; the flood (subject flood, role bulk) runs tpch/q01
#    pages (a random delta, _rollup=off: an aggregate over all of lineitem, not its daily rollup) on 64
#    connections. Each round measures the steady caller alone, then beside the flood on base (no
#    quotas), on quotas, and on roles; the steady caller's p50/p99 (medians over the rounds, and as
#    ratios to alone) and the flood's answers and refusals (429, 422) per second.
# Settings (environment): BENCH_SCALE (1), BENCH_DURATION (15 s), BENCH_ROUNDS (3), BENCH_PG_PORT (54391),
# BENCH_HTTP_PORT (18092: base; budget, quotas and roles on the next three), BENCH_PIN (1), BENCH_JAR (target/quarkus-app/quarkus-run.jar).
# Everything it writes is under target/bench-guard (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench-guard
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
SCALE=${BENCH_SCALE:-1}
DURATION=${BENCH_DURATION:-15}
ROUNDS=${BENCH_ROUNDS:-3}
PG_PORT=${BENCH_PG_PORT:-54391}
HTTP_PORT=${BENCH_HTTP_PORT:-18092}
DB=tpch_sf${SCALE//./_}
PIN=${BENCH_PIN:-1}
ISSUER=quarry-guard-benchmark
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,27p' "$0"; exit 0; }
mkdir -p "$OUT"
RESULTS=$OUT/results.txt

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
need_tools java curl wrk psql openssl awk taskset

PIDS=()
cleanup() {
    local pid pidfile=$OUT/postgres/postmaster.pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2> /dev/null || true
    done
    # the first Quarry stops the embedded server it started; if it could not, stop that postmaster here
    if [[ -f $pidfile ]] && kill -0 "$(head -1 "$pidfile")" 2> /dev/null; then
        kill -INT "$(head -1 "$pidfile")" 2> /dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f $JAR ]] || { log "building the jar"; ./mvnw -q -B -DskipTests package; }

# ---- tokens: RS256 JWTs signed by a key made for this run --------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/private.pem" 2> /dev/null
openssl pkey -in "$OUT/private.pem" -pubout -out "$OUT/public.pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
token() { # subject [group]: a token valid for two hours
    local now header payload
    now=$(date +%s)
    header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
    payload=$(printf '{"iss":"%s","sub":"%s","groups":[%s],"iat":%d,"exp":%d}' "$ISSUER" "$1" "${2:+\"$2\"}" "$now" $((now + 7200)) | b64url)
    printf '%s.%s.%s' "$header" "$payload" "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$OUT/private.pem" | b64url)"
}
STEADY_TOKEN=$(token steady)
FLOOD_TOKEN=$(token flood bulk)

# ---- the database and the three servers ---------------------------------------------------------------
EMBEDDED="-Dquarry.embedded.port=$PG_PORT -Dquarry.embedded.data-directory=$OUT/postgres -Dquarry.embedded.database=$DB"
log "loading TPC-H scale $SCALE into $DB (skipped when it is already loaded)"
# shellcheck disable=SC2086
java $EMBEDDED -jar "$JAR" load --scale "$SCALE" > "$OUT/load.log" 2>&1 || { tail -20 "$OUT/load.log" >&2; die "load failed"; }

start() { # name port options...: one Quarry, authentication on, until it is ready
    local name=$1 port=$2
    shift 2
    # no rollup built while it measures: the scheduled builds would take the cores from both callers
    java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dquarry.auth.enabled=true -Dquarry.rollup.schedule.enabled=false \
        -Dmp.jwt.verify.issuer=$ISSUER -Dmp.jwt.verify.publickey.location="$OUT/public.pem" "$@" -jar "$JAR" > "$OUT/quarry-$name.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && return 0
        kill -0 "${PIDS[-1]}" 2> /dev/null || { tail -20 "$OUT/quarry-$name.log" >&2; die "$name did not start"; }
        sleep 0.1
    done
    die "$name was not ready within 2 minutes"
}
# the first one starts the embedded PostgreSQL; the others use it
# shellcheck disable=SC2086
start base "$HTTP_PORT" $EMBEDDED -Dquarry.dataset.load-on-start=none
REMOTE=(-Dquarry.dataset.load-on-start=none -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/$DB" -Dquarkus.datasource.username=postgres)
start budget $((HTTP_PORT + 1)) "${REMOTE[@]}" "-Dquarry.budget.default=cost 1e9"
QUOTA=(-Dquarry.quota.running=8 -Dquarry.quota.waiting=8 -Dquarry.quota.roles.bulk.running=1 -Dquarry.quota.roles.bulk.waiting=1)
start quotas $((HTTP_PORT + 2)) "${REMOTE[@]}" "${QUOTA[@]}"
start roles $((HTTP_PORT + 3)) "${REMOTE[@]}" "${QUOTA[@]}" "-Dquarry.budget.roles.bulk=cost 100000"
BASE=http://127.0.0.1:$HTTP_PORT BUDGET=http://127.0.0.1:$((HTTP_PORT + 1)) QUOTAS=http://127.0.0.1:$((HTTP_PORT + 2))
ROLES=http://127.0.0.1:$((HTTP_PORT + 3))

# ---- PostgreSQL on its own cores, as if on a machine of its own ----------------------------------------
APP=()
if ((PIN)); then
    cores=$(nproc)
    ((cores >= 2)) || die "pinning needs 2 cores or more (BENCH_PIN=0 runs without)"
    APP_CORES=0-$((cores / 2 - 1)) DB_CORES=$((cores / 2))-$((cores - 1))
    postmaster=$(head -1 "$OUT/postgres/postmaster.pid")
    # new backends are forked by the postmaster and inherit its cores; the ones already open move too
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do
        taskset -p -c "$DB_CORES" "$pid" > /dev/null
    done
    for pid in "${PIDS[@]}"; do
        taskset -a -p -c "$APP_CORES" "$pid" > /dev/null
    done
    APP=(taskset -c "$APP_CORES")
    log "PostgreSQL on cores $DB_CORES; Quarry and wrk on cores $APP_CORES"
fi

ORDERS=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c 'SELECT count(*) FROM orders')
seeded='local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function(args) math.randomseed(os.time() * 1000 + seed) end'
# TPC-H order keys are sparse: the i-th order has key (i / 8) * 32 + i % 8
lookup="local i = math.random(1, $ORDERS); local key = math.floor(i / 8) * 32 + i % 8
    return string.format('/queries/tpch/order?orderkey=%d', key)"
script() { # file token body-of-a-function-returning-a-path
    cat > "$1" << LUA
$seeded
wrk.headers["Authorization"] = "Bearer $2"
local function path()
    $3
end
request = function() return wrk.format("GET", path()) end
LUA
}
script "$OUT/order.lua" "$STEADY_TOKEN" "$lookup"
script "$OUT/steady.lua" "$STEADY_TOKEN" "if math.random(1, 4) == 4 then
        return string.format('/queries/tpch/q06?discount=0.06%06d', math.random(1, 999999))
    end
    $lookup"
script "$OUT/flood.lua" "$FLOOD_TOKEN" "return string.format('/queries/tpch/q01?delta=%d&_rollup=off', math.random(60, 120))"

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
wrk_run() { # script connections url file: wrk's report in the file
    local threads=2
    (($2 >= threads)) || threads=$2
    "${APP[@]}" wrk -t"$threads" -c"$2" -d"${DURATION}s" --timeout 60s --latency -s "$1" "$3" > "$4" 2>&1 || { cat "$4" >&2; die "wrk failed"; }
}
ok_rps() { awk '/requests in/ {n = $1; s = $4 + 0; if ($4 ~ /m,?$/) s *= 60} /Non-2xx/ {bad = $NF} END {printf "%.1f", (n - bad) / s}' "$1"; }
refused_rps() { awk '/requests in/ {s = $4 + 0; if ($4 ~ /m,?$/) s *= 60} /Non-2xx/ {bad = $NF} END {printf "%.1f", bad / s}' "$1"; }
p() { to_ms "$(awk -v q="$2%" '$1 == q {print $2}' "$1")"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

log "warming up every server (tpch/order, tpch/q06 and tpch/q01)"
for url in "$BASE" "$BUDGET" "$QUOTAS" "$ROLES"; do
    for warm in order steady; do
        "${APP[@]}" wrk -t2 -c16 -d10s -s "$OUT/$warm.lua" "$url" > /dev/null
    done
done

# ---- 1. the budget check on a point lookup -----------------------------------------------------------
declare -A RPS P99
for round in $(seq "$ROUNDS"); do
    for side in base budget; do
        url=$BASE
        [[ $side == budget ]] && url=$BUDGET
        wrk_run "$OUT/order.lua" 16 "$url" "$OUT/check-$side-r$round.txt"
        RPS[$side]+="$(ok_rps "$OUT/check-$side-r$round.txt") " P99[$side]+="$(p "$OUT/check-$side-r$round.txt" 99) "
        log "lookup, 16 clients, round $round, $side: $(ok_rps "$OUT/check-$side-r$round.txt") req/s, p99 $(p "$OUT/check-$side-r$round.txt" 99) ms (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
refused=$(curl -s "$BUDGET/q/metrics" | grep -c '^quarry_query_refused_total' || true)
EXPLAINED=$(curl -s -H "Authorization: Bearer $STEADY_TOKEN" "$BUDGET/queries/tpch/q01?_rollup=off&_explain=budget")

# ---- 2. one caller flooding beside another -----------------------------------------------------------
declare -A P50S P99S FLOOD_OK FLOOD_REFUSED
phase() { # name url [flood]: the steady caller for the duration, beside the flood when asked
    local name=$1 url=$2 flood=${3:-} pid=
    if [[ -n $flood ]]; then
        "${APP[@]}" wrk -t2 -c64 -d"$((DURATION + 4))s" --timeout 60s -s "$OUT/flood.lua" "$url" > "$OUT/flood-$name-r$round.txt" 2>&1 &
        pid=$!
        sleep 2 # the flood has filled what it can
    fi
    wrk_run "$OUT/steady.lua" 4 "$url" "$OUT/steady-$name-r$round.txt"
    [[ -z $pid ]] || wait "$pid"
    P50S[$name]+="$(p "$OUT/steady-$name-r$round.txt" 50) " P99S[$name]+="$(p "$OUT/steady-$name-r$round.txt" 99) "
    if [[ -n $flood ]]; then
        FLOOD_OK[$name]+="$(ok_rps "$OUT/flood-$name-r$round.txt") " FLOOD_REFUSED[$name]+="$(refused_rps "$OUT/flood-$name-r$round.txt") "
    fi
    log "steady, round $round, $name: p50 $(p "$OUT/steady-$name-r$round.txt" 50) ms, p99 $(p "$OUT/steady-$name-r$round.txt" 99) ms${flood:+; flood $(ok_rps "$OUT/flood-$name-r$round.txt") answers/s, $(refused_rps "$OUT/flood-$name-r$round.txt") refused/s} (load $(cut -d' ' -f1 /proc/loadavg))"
    # what the flood left running ends before the next phase
    while [[ $(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%l_returnflag%' AND pid <> pg_backend_pid()") != 0 ]]; do
        sleep 1
    done
}
for round in $(seq "$ROUNDS"); do
    phase alone "$BASE"
    phase flood "$BASE" flood
    phase quotas "$QUOTAS" flood
    phase roles "$ROLES" flood
done
refusals() { # url reason: quarry_query_refused_total of the reason, summed over the templates
    curl -s "$1/q/metrics" | awk -v reason="reason=\"$2\"" '/^quarry_query_refused_total/ && index($0, reason) {s += $NF} END {printf "%.0f", s}'
}
plans() { curl -s "$1/q/metrics" | awk '/^quarry_budget_plans_total/ {printf "%.0f", $NF}'; }

med() { tr ' ' '\n' <<< "$1" | grep . | median; }
{
    printf 'Guard rails benchmark, %s, %s, %s cores, scale %s, wrk -t2 -d%ss, %s rounds, 1-minute load %s\n' \
        "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD 2> /dev/null || echo '?')" "$(nproc)" "$SCALE" "$DURATION" "$ROUNDS" "$(cut -d' ' -f1 /proc/loadavg)"
    echo
    echo "1. tpch/order at 16 clients, medians: base (no budget) against budget (every request checked)"
    printf '   base   %8s req/s  p99 %8s ms   (rounds: %s)\n' "$(med "${RPS[base]}")" "$(med "${P99[base]}")" "${RPS[base]}"
    printf '   budget %8s req/s  p99 %8s ms   (rounds: %s)\n' "$(med "${RPS[budget]}")" "$(med "${P99[budget]}")" "${RPS[budget]}"
    printf '   budget / base: throughput %s, p99 %s; refusal series on budget: %s\n' \
        "$(ratio "$(med "${RPS[budget]}")" "$(med "${RPS[base]}")")" "$(ratio "$(med "${P99[budget]}")" "$(med "${P99[base]}")")" "$refused"
    echo
    echo "2. the steady caller (4 connections: 3 lookups to 1 q06) alone and beside the flood (64 connections of q01), medians"
    ((PIN)) && echo "   PostgreSQL on cores $DB_CORES, Quarry and wrk on cores $APP_CORES"
    for name in alone flood quotas roles; do
        printf '   %-7s p50 %8s ms  p99 %8s ms   p99 / alone %s' "$name" "$(med "${P50S[$name]}")" "$(med "${P99S[$name]}")" \
            "$(ratio "$(med "${P99S[$name]}")" "$(med "${P99S[alone]}")")"
        [[ $name == alone ]] || printf ';  flood: %s answers/s, %s refused/s' "$(med "${FLOOD_OK[$name]}")" "$(med "${FLOOD_REFUSED[$name]}")"
        echo
    done
    printf '   refusals counted (quarry_query_refused_total): quotas %s for quota; roles %s for quota, %s over cost, after %s plans\n' \
        "$(refusals "$QUOTAS" quota)" "$(refusals "$ROLES" quota)" "$(refusals "$ROLES" over_cost)" "$(plans "$ROLES")"
    echo
    echo "tpch/q01?_explain=budget on budget: $EXPLAINED"
} | tee "$RESULTS"
