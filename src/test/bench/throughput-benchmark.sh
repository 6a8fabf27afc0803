#!/usr/bin/env bash
# Throughput benchmark (src/site/markdown/benchmarks/throughput.md).
# A benchmark, not a timed test: run it by hand, on a machine
# that is otherwise quiet, from anywhere:
#
#   src/test/bench/throughput-benchmark.sh            # scale 0.01 and scale 1
#   src/test/bench/throughput-benchmark.sh --quick    # scale 0.01 only
#
# It installs wrk and pgbench (postgresql-contrib) with apt-get when they are missing, builds the jar
# when it is missing, and keeps its own embedded PostgreSQL under target/bench-throughput/postgres
# (one database per scale, loaded once with `load --scale S`: a rerun finds them there). For each
# scale it starts Quarry with its defaults on loopback and, for two templates,
#   - tpch/q06 (a single-row aggregate over lineitem, default parameters but a distinct discount per request),
#   - tpch/order (a point lookup by a RANDOM existing o_orderkey),
# measures at 1, 16 and 64 clients, back to back in the same run against the same server:
#   - Quarry's JSON page with wrk (-t2 -cN -d15s --latency; -t1 for 1 client): requests/s, p50, p99;
#   - pgbench (-n -M prepared -c N -j 2 -T 15) running the exact SQL Quarry sends (taken from
#     _explain=true, with the same values; random keys with the same mapping): tps, average, p50, p99
#     (from its per-transaction log), alone (what Quarry sends with its default query guard), and
#     wrapped as with QUARRY_QUERY_GUARD=transaction (BEGIN READ ONLY; SET LOCAL statement_timeout;
#     the statement; COMMIT, pipelined in one round trip: column "pgb tx");
#   - for each of them, the CPU time spent per request (per transaction for pgbench): by Quarry's
#     JVM (/proc), by the load generator (bash's time), and by the rest of the machine, which is
#     PostgreSQL's backends and the kernel's loopback work: where a request's cost goes on these cores.
# The ceiling: the same wrk, same clients, against two answers of the same process that touch no
# database: /q/health/live (Vert.x route, no checks) and the 404 problem of an unknown template (the
# page's path through RESTEasy Reactive up to the catalog lookup). What the HTTP layer alone serves on
# this machine bounds what any page can.
# It also reports Quarry's startup time (java -jar to /q/health/ready = 200, data already loaded) and
# its RSS after startup and after the runs. Unless BENCH_JFR=0, the last scale's worst case (lowest
# Quarry/pgbench ratio) is then run again for 30 s under JFR and its hottest frames are printed.
#
# The floor: beside Quarry the script starts dev.quarry.bench.FloorServer (test classes), a
# bare Vert.x HTTP server with a Vert.x PG pool set up as Quarry's (same event loops, pool size 20,
# login settings, prepared-statement cache) that sends tpch/order's exact SQL (from _explain) for the
# same random keys. For BENCH_FLOOR_CLIENTS (16 64) it runs wrk against Quarry and the floor in turn,
# BENCH_FLOOR_ROUNDS (5) times each (A, B, A, B ...: whatever else loads the machine weighs on both),
# and reports the medians: req/s, p99, and Quarry / floor for both. BENCH_BASE_JAR=another quarry-run.jar
# adds a third side in the same rotation: that build of Quarry, on the same database (before/after a
# change; BENCH_BASE_OPTS: its extra java options instead of BENCH_QUARRY_OPTS, so the base may also be
# this jar with another setting). --floor runs only this comparison (no ceiling, no q06, no pgbench, no JFR).
#
# TPC-H order keys are sparse, as dbgen makes them: 1..7, 32..39, 64..71, ..., up to 6,000,000 * SF
# (k % 32 < 8, k > 0); the i-th order, i = 1 .. 1,500,000 * SF, has key (i / 8) * 32 + i % 8.
#
# Settings (environment): BENCH_SCALES ("0.01 1"), BENCH_CLIENTS ("1 16 64"), BENCH_DURATION (15),
# BENCH_QUARRY_OPTS (extra java options for Quarry, such as -Dquarkus.vertx.event-loops-pool-size=1),
# BENCH_PG_PORT (54381), BENCH_HTTP_PORT (18082), BENCH_JAR (target/quarkus-app/quarkus-run.jar),
# BENCH_JFR (1), BENCH_FLOOR_CLIENTS ("16 64"; empty: no floor), BENCH_FLOOR_ROUNDS (5), BENCH_FLOOR_WARMUP (10: seconds of
# wrk on each side first; on a loaded machine the JIT needs minutes for Quarry, seconds for the floor), BENCH_FLOOR_PORT (HTTP port + 1),
# BENCH_BASE_JAR (unset), BENCH_BASE_PORT (HTTP port + 2), BENCH_PGBENCH_TX (1: the column
# "pgb tx"), BENCH_NO_WAIT=1 (do not wait for a running stream-benchmark.sh: smoke tests only).
# Everything it writes is under target/bench-throughput (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench-throughput
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_PORT=${BENCH_PG_PORT:-54381}
HTTP_PORT=${BENCH_HTTP_PORT:-18082}
SCALES=${BENCH_SCALES:-0.01 1}
CLIENTS=${BENCH_CLIENTS:-1 16 64}
DURATION=${BENCH_DURATION:-15}
JFR=${BENCH_JFR:-1}
QUARRY_OPTS=${BENCH_QUARRY_OPTS:-}
PGBENCH_TX=${BENCH_PGBENCH_TX:-1}
FLOOR_CLIENTS=${BENCH_FLOOR_CLIENTS-16 64}
FLOOR_ROUNDS=${BENCH_FLOOR_ROUNDS:-5}
FLOOR_WARMUP=${BENCH_FLOOR_WARMUP:-10}
FLOOR_PORT=${BENCH_FLOOR_PORT:-$((HTTP_PORT + 1))}
BASE_JAR=${BENCH_BASE_JAR:-}
BASE_PORT=${BENCH_BASE_PORT:-$((HTTP_PORT + 2))}
FLOOR_ONLY=0
for arg in "$@"; do
    case $arg in
        --quick) SCALES=0.01 ;;
        --floor) FLOOR_ONLY=1 JFR=0 ;;
        -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg (--quick runs scale 0.01 only, --floor only Quarry against the floor)" >&2; exit 2 ;;
    esac
done
BASE=http://127.0.0.1:$HTTP_PORT
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
rm -f "$OUT/jfr-top.txt" # a run without JFR must not print the last run's profile

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
need_tools java jcmd jfr curl jq awk wrk pgbench psql

# ---- every process this script starts is ended by this trap ------------------------------------

QPID=
BACKGROUND=()
stop_background() {
    local pid
    for pid in "${BACKGROUND[@]}"; do
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
    BACKGROUND=()
}
stop_quarry() {
    if [[ -n $QPID ]] && kill -0 "$QPID" 2> /dev/null; then
        log "stopping Quarry ($QPID)"
        kill "$QPID" 2> /dev/null || true
        for _ in $(seq 60); do kill -0 "$QPID" 2> /dev/null || break; sleep 0.5; done
        kill -9 "$QPID" 2> /dev/null || true
    fi
    QPID=
}
cleanup() {
    local pidfile=$OUT/postgres/postmaster.pid pm
    stop_background
    stop_quarry
    # Quarry stops the embedded server it started; if it could not, stop that postmaster here
    if [[ -f $pidfile ]]; then
        pm=$(head -1 "$pidfile")
        if [[ -n $pm ]] && kill -0 "$pm" 2> /dev/null; then
            log "stopping the embedded PostgreSQL ($pm)"
            kill -INT "$pm" 2> /dev/null || true
        fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build, load, start ------------------------------------------------------------------------

if [[ ! -f $JAR || ! -f $ROOT/target/test-classes/dev/quarry/bench/FloorServer.class ]]; then
    log "building the jar and the test classes (the floor)"
    ./mvnw -q -B -DskipTests package
fi
[[ -z $BASE_JAR || -f $BASE_JAR ]] || die "BENCH_BASE_JAR $BASE_JAR does not exist"
# Quarkus's default is two event loops per core; the floor gets what Quarry gets
EVENT_LOOPS=$(grep -oE 'event-loops-pool-size=[0-9]+' <<< "$QUARRY_OPTS" | cut -d= -f2 || true)
EVENT_LOOPS=${EVENT_LOOPS:-$((2 * $(nproc)))}
if [[ -f $OUT/postgres/postmaster.pid ]] && kill -0 "$(head -1 "$OUT/postgres/postmaster.pid")" 2> /dev/null; then
    die "an embedded PostgreSQL already runs on $OUT/postgres (another run of this script?)"
fi

props() { # the -D settings of a scale: its own database on the benchmark's server
    echo "-Dquarry.embedded.port=$PG_PORT -Dquarry.embedded.data-directory=$OUT/postgres"
    echo "-Dquarry.embedded.database=tpch_sf${1//./_} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$HTTP_PORT"
}

start_quarry() { # scale: java -jar (its defaults) until /q/health/ready answers 200
    local scale=$1 t0 t1
    # shellcheck disable=SC2046
    t0=$(date +%s%N)
    java $(props "$scale") $QUARRY_OPTS -jar "$JAR" > "$OUT/quarry-sf$scale.log" 2>&1 &
    QPID=$!
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "$BASE/q/health/ready" && break
        kill -0 "$QPID" 2> /dev/null || { tail -20 "$OUT/quarry-sf$scale.log" >&2; die "Quarry did not start"; }
        sleep 0.05
    done
    t1=$(date +%s%N)
    curl -sf -o /dev/null "$BASE/q/health/ready" || die "Quarry was not ready within 60 s"
    STARTUP_MS=$(((t1 - t0) / 1000000))
    STARTUP_RSS=$(rss_mb)
}
wait_http() { # url pid log: until the url answers (any status), or the process ended
    for _ in $(seq 1200); do
        curl -s -o /dev/null "$1" && return 0
        kill -0 "$2" 2> /dev/null || { tail -20 "$3" >&2; die "$3: the server did not start"; }
        sleep 0.05
    done
    die "$1 did not answer within 60 s"
}
start_floor() { # database: the floor, sending tpch/order's SQL with the values Quarry binds after the key
    # shellcheck disable=SC2086
    java -cp "$ROOT/target/test-classes:$(dirname "$JAR")/lib/main/*" dev.quarry.bench.FloorServer \
        "$FLOOR_PORT" "$PG_PORT" "$1" "$OUT/order-floor.sql" "$EVENT_LOOPS" 20 "${order_values[@]:1}" > "$OUT/floor.log" 2>&1 &
    BACKGROUND+=($!)
    wait_http "http://127.0.0.1:$FLOOR_PORT/" "$!" "$OUT/floor.log"
}
start_base() { # database: BENCH_BASE_JAR on the same PostgreSQL (the server the Quarry under test started)
    # shellcheck disable=SC2086
    java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$BASE_PORT" -Dquarry.dataset.load-on-start=none \
        -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/$1" -Dquarkus.datasource.username=postgres \
        ${BENCH_BASE_OPTS-$QUARRY_OPTS} -jar "$BASE_JAR" > "$OUT/base-quarry.log" 2>&1 &
    BACKGROUND+=($!)
    wait_http "http://127.0.0.1:$BASE_PORT/q/health/ready" "$!" "$OUT/base-quarry.log"
}
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$QPID/status"; }

# ---- CPU time: where a request's cost goes --------------------------------------------------------

TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_mark() { # sets CPU_JAVA CPU_ALL: user + system ticks so far of Quarry and of the whole machine
    CPU_JAVA=$(awk '{print $14 + $15}' "/proc/$QPID/stat")
    CPU_ALL=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)
}
cpu_per() { # requests client-seconds: "quarry/postgres/client" microseconds of CPU per request since cpu_mark
    # client-seconds: the load generator's own user + system time (bash's time); PostgreSQL is the
    # rest of the machine's busy time (its backends, and the kernel's loopback work on its behalf)
    local java0=$CPU_JAVA all0=$CPU_ALL
    cpu_mark
    awk -v n="$1" -v c="$2" -v t="$TICK_US" -v j=$((CPU_JAVA - java0)) -v a=$((CPU_ALL - all0)) \
        'BEGIN { if (n < 1) n = 1; c = c * 1e6; p = a * t - j * t - c; if (p < 0) p = 0
                 printf "%.0f/%.0f/%.0f", j * t / n, p / n, c / n }'
}
client_seconds() { awk '{printf "%.2f", $1 + $2}' "$1"; } # a file of bash's time with TIMEFORMAT='%U %S'

# ---- one measurement ---------------------------------------------------------------------------

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
RATE='function rate(v) { return sprintf(v < 100 ? "%.1f" : "%.0f", v) }' # whole numbers but for slow queries
to_ms() { # wrk's 1.23ms / 456.00us / 1.02s
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

run_wrk() { # lua-script clients out-prefix [base url]: sets W_RPS W_OK_RPS W_P50 W_P99 W_ERR
    local file=$3.wrk.txt threads=2 url=${4:-$BASE}
    ((${2} >= threads)) || threads=$2 # wrk needs a connection per thread: -t1 for one client
    # --timeout: a q06 at scale 1 queues for seconds at 16 and 64 clients; wrk's default (2 s) would
    # drop those requests from the figures
    local TIMEFORMAT='%U %S'
    cpu_mark
    { time wrk -t"$threads" -c"$2" -d"${DURATION}s" --timeout 60s --latency -s "$1" "$url" > "$file" 2>&1; } 2> "$3.time" \
        || { cat "$file" >&2; die "wrk failed"; }
    W_CPU=$(cpu_per "$(awk '/requests in/ {print $1}' "$file")" "$(client_seconds "$3.time")")
    # answers/s: every answer (W_RPS), and the 2xx ones (W_OK_RPS; a saturated pool answers 503 past
    # quarry.pool.wait-timeout, quickly, and those must not count as throughput)
    W_RPS=$(awk '/^Requests\/sec/ {print rate($2)}'"$RATE" "$file")
    # wrk says "in 15.01s" or, from a minute on, "in 1.00m"
    W_OK_RPS=$(awk '/requests in/ {n = $1; s = $4 + 0; if ($4 ~ /[0-9]m,?$/) s *= 60; else if ($4 ~ /h,?$/) s *= 3600} /Non-2xx/ {bad = $NF} END {print rate((n - bad) / s)}'"$RATE" "$file")
    W_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
    W_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
    W_ERR=$(awk '/Non-2xx|Socket errors/ {print}' "$file" | tr '\n' ' ')
    [[ -z $W_ERR ]] || log "wrk: $W_ERR"
}

run_pgbench() { # script clients out-prefix [-D ...]: sets P_TPS P_AVG P_P50 P_P99
    local script=$1 clients=$2 prefix=$3 file=$3.pgbench.txt jobs=2
    shift 3
    ((clients >= jobs)) || jobs=$clients
    rm -f "$prefix".pgbench_log.*
    local TIMEFORMAT='%U %S'
    cpu_mark
    { time pgbench -n -M prepared -c "$clients" -j "$jobs" -T "$DURATION" -f "$script" "$@" \
        --log --log-prefix="$prefix.pgbench_log" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB" > "$file" 2>&1; } 2> "$prefix.time" \
        || { cat "$file" >&2; die "pgbench failed"; }
    P_CPU=$(cpu_per "$(awk '/^number of transactions actually processed/ {print $6}' "$file" | cut -d/ -f1)" "$(client_seconds "$prefix.time")")
    P_CPU=${P_CPU#*/} # Quarry idles meanwhile
    grep -Eq 'number of failed transactions: [1-9]' "$file" && log "pgbench: $(grep 'number of failed' "$file")"
    P_TPS=$(awk '/^tps = / {print rate($3)}'"$RATE" "$file")
    P_AVG=$(awk '/^latency average = / {printf "%.2f", $4}' "$file")
    read -r P_P50 P_P99 < <(cat "$prefix".pgbench_log.* | awk '{print $3}' | sort -n \
        | awk '{v[NR] = $1} END {a = int(NR * 0.5); if (a < 1) a = 1; b = int(NR * 0.99); if (b < 1) b = 1; printf "%.2f %.2f\n", v[a] / 1000, v[b] / 1000}')
    rm -f "$prefix".pgbench_log.*
}

wait_alone() { # the other engineer's benchmark shares the 2 cores: measure only without it
    local waited=0
    [[ ${BENCH_NO_WAIT:-0} == 0 ]] || return 0
    while pgrep -f stream-benchmark.sh > /dev/null; do
        ((waited == 0)) && log "stream-benchmark.sh is running: waiting for it to end (polling every 20 s)"
        sleep 20
        waited=$((waited + 20))
    done
}

# ---- the scales --------------------------------------------------------------------------------

{
    printf 'Throughput benchmark, %s, %s, %s cores, wrk -t2 -d%ss, pgbench -M prepared -j 2 -T %s\n' \
        "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD 2> /dev/null || echo '?')" "$(nproc)" "$DURATION" "$DURATION"
    echo "Quarry: default settings (pool max-size 20)${QUARRY_OPTS:+ and $QUARRY_OPTS}; pgbench: one connection per client"
    echo "pgb tps = pgbench sending the statement Quarry sends (query guard session, the default)"
    echo "pgb tx = pgbench sending what Quarry sends with QUARRY_QUERY_GUARD=transaction: BEGIN READ ONLY; SET LOCAL statement_timeout; the statement; COMMIT, pipelined"
    echo "CPU us: CPU time per request (pgbench: per transaction) of Quarry / PostgreSQL (the rest of the machine: backends, loopback) / the load generator"
    echo
} > "$RESULTS"
HEADER=$(printf '%-6s %-11s %4s | %8s %8s %6s | %8s %6s | %8s %8s %6s | %8s %8s %8s | %-14s %-10s' \
    scale template c 'Q 2xx/s' 'pgb tps' ratio 'pgb tx' ratio 'Q p50' 'Q p99' p99/p50 'pgb avg' 'pgb p50' 'pgb p99' 'Q CPU us' 'pgb CPU us')
echo "$HEADER" >> "$RESULTS"
ROWS=()
CEILINGS=()
FLOOR_ROWS=()
MAIN_CLIENTS=$CLIENTS
((FLOOR_ONLY == 0)) || MAIN_CLIENTS=

for SCALE in $SCALES; do
    DB=tpch_sf${SCALE//./_}
    wait_alone
    log "scale $SCALE: loading TPC-H into database $DB (skipped when it is already loaded)"
    # shellcheck disable=SC2046
    java $(props "$SCALE") -jar "$JAR" load --scale "$SCALE" > "$OUT/load-sf$SCALE.log" 2>&1 \
        || { tail -20 "$OUT/load-sf$SCALE.log" >&2; die "load failed"; }
    wait_alone
    log "scale $SCALE: starting Quarry on $BASE"
    start_quarry "$SCALE"
    log "scale $SCALE: ready after $STARTUP_MS ms, RSS $STARTUP_RSS MB"
    STARTUPS+=("sf$SCALE: startup to ready ${STARTUP_MS} ms, RSS after startup ${STARTUP_RSS} MB")

    ORDERS=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c 'SELECT count(*) FROM orders')
    # the i-th key exists, for i = 1 .. the count: checked on the first ones, the last one and past it
    [[ $(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c 'SELECT count(*) FROM orders WHERE o_orderkey % 32 >= 8 OR o_orderkey < 1') == 0 ]] \
        || die "order keys are not all k % 32 < 8"
    for i in 1 7 8 9 "$ORDERS"; do
        key=$(((i / 8) * 32 + i % 8))
        n=$(curl -sf "$BASE/queries/tpch/order?orderkey=$key" | jq '.rows | length')
        [[ $n == 1 ]] || die "order key $key (i = $i) did not answer one row"
    done
    key=$((((ORDERS + 1) / 8) * 32 + (ORDERS + 1) % 8))
    n=$(curl -sf "$BASE/queries/tpch/order?orderkey=$key" | jq '.rows | length')
    [[ $n == 0 ]] || die "order key $key past the last one answered a row"

    # the exact SQL Quarry sends, and its values, from _explain=true
    curl -sf "$BASE/queries/tpch/q06?_explain=true" -o "$OUT/explain-q06.json" || die "no _explain for tpch/q06"
    curl -sf "$BASE/queries/tpch/order?orderkey=1&_explain=true" -o "$OUT/explain-order.json" || die "no _explain for tpch/order"
    jq -e '.sql' "$OUT/explain-q06.json" > /dev/null || die "no SQL in $OUT/explain-q06.json: $(head -c 300 "$OUT/explain-q06.json")"

    # pgbench scripts: $n becomes :pn (a -D value for q06; the random key for the lookup)
    q06_sql=$(jq -r '.sql' "$OUT/explain-q06.json" | sed -E 's/\$([0-9]+)/:p\1/g' | tr '\n' ' ')
    mapfile -t q06_values < <(jq -r '.values[] | tostring' "$OUT/explain-q06.json")
    # every q06 a distinct discount (same scan, same work): Quarry shares one execution among identical
    # requests in flight, which pgbench cannot, and this compares the executions themselves
    [[ $q06_sql == *":p2::numeric - 0.01"* ]] || die "tpch/q06's second value is not the discount: $q06_sql"
    Q06_DEFS=()
    for i in "${!q06_values[@]}"; do
        ((i == 1)) || Q06_DEFS+=(-D "p$((i + 1))=${q06_values[$i]}")
    done
    order_sql=$(jq -r '.sql' "$OUT/explain-order.json" | sed -E 's/\$([0-9]+)/:p\1/g' | tr '\n' ' ')
    mapfile -t order_values < <(jq -r '.values[] | tostring' "$OUT/explain-order.json")
    ORDER_DEFS=()
    for i in "${!order_values[@]}"; do
        ((i == 0)) || ORDER_DEFS+=(-D "p$((i + 1))=${order_values[$i]}")
    done
    [[ ${order_values[0]} == 1 ]] || die "tpch/order's first value is not the key: ${order_values[*]}"
    # neither template has an @timeout: Quarry sets the default, quarry.query.timeout = 30s
    begin="BEGIN READ ONLY;
SET LOCAL statement_timeout = 30000;"
    printf '\\set p2 0.06 + random(1, 999999) / 100000000.0\n%s;\n' "$q06_sql" > "$OUT/q06.sql"
    printf '\\set i random(1, %d)\n\\set p1 (:i / 8) * 32 + mod(:i, 8)\n%s;\n' "$ORDERS" "$order_sql" > "$OUT/order.sql"
    for name in q06 order; do
        { grep '^\\set' "$OUT/$name.sql" || true
          printf '\\startpipeline\n%s\n' "$begin"
          grep -v '^\\set' "$OUT/$name.sql"
          printf 'COMMIT;\n\\endpipeline\n'; } > "$OUT/$name-tx.sql"
    done

    # wrk scripts: every request a fresh random key for the lookup, a fresh discount for q06; each
    # thread seeded apart
    seeded='local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function(args) math.randomseed(os.time() * 1000 + seed) end'
    cat > "$OUT/q06.lua" <<LUA
$seeded
request = function()
    return wrk.format("GET", string.format("/queries/tpch/q06?discount=0.06%06d", math.random(1, 999999)))
end
LUA
    cat > "$OUT/order.lua" <<LUA
local orders = $ORDERS
$seeded
request = function()
    local i = math.random(1, orders)
    local key = math.floor(i / 8) * 32 + i % 8
    return wrk.format("GET", string.format("/queries/tpch/order?orderkey=%d", key))
end
LUA

    log "scale $SCALE: warming up (Quarry and PostgreSQL, 10 s each template)"
    wrk -t2 -c16 -d10s -s "$OUT/q06.lua" "$BASE" > /dev/null
    wrk -t2 -c16 -d10s -s "$OUT/order.lua" "$BASE" > /dev/null

    # the floor (and BENCH_BASE_JAR) against Quarry, tpch/order, in turn: A, B[, C], A, B[, C] ...
    jq -r '.sql' "$OUT/explain-order.json" > "$OUT/order-floor.sql"
    start_floor "$DB"
    SIDES=("quarry $BASE" "floor http://127.0.0.1:$FLOOR_PORT")
    if [[ -n $BASE_JAR ]]; then
        start_base "$DB"
        SIDES+=("base http://127.0.0.1:$BASE_PORT")
    fi
    for side in "${SIDES[@]}"; do
        wrk -t2 -c16 -d"${FLOOR_WARMUP}s" -s "$OUT/order.lua" "${side#* }" > /dev/null
    done
    for c in $FLOOR_CLIENTS; do
        declare -A F_RPS=() F_P99=()
        for round in $(seq "$FLOOR_ROUNDS"); do
            wait_alone
            for side in "${SIDES[@]}"; do
                run_wrk "$OUT/order.lua" "$c" "$OUT/sf$SCALE-floor-${side%% *}-c$c-r$round" "${side#* }"
                F_RPS[${side%% *}]+="$W_OK_RPS " F_P99[${side%% *}]+="$W_P99 "
                log "scale $SCALE, tpch/order, $c clients, round $round, ${side%% *}: $W_OK_RPS req/s (2xx), p99 $W_P99 ms (load $(cut -d' ' -f1 /proc/loadavg))"
            done
        done
        for side in "${SIDES[@]}"; do
            name=${side%% *}
            rps=$(tr ' ' '\n' <<< "${F_RPS[$name]}" | grep -v '^$' | median)
            p99=$(tr ' ' '\n' <<< "${F_P99[$name]}" | grep -v '^$' | median)
            FLOOR_ROWS+=("$(printf '%-6s %4s %-7s | %9s %8s | %s| %s' "$SCALE" "$c" "$name" "$rps" "$p99" "${F_RPS[$name]}" "${F_P99[$name]}")")
            [[ $name == quarry ]] && q_rps=$rps q_p99=$p99
            [[ $name == floor ]] && FLOOR_ROWS+=("$(printf '%-6s %4s Quarry/floor: req/s %.2f, p99 %.2f' "$SCALE" "$c" \
                "$(awk -v a="$q_rps" -v b="$rps" 'BEGIN {print a / b}')" "$(awk -v a="$q_p99" -v b="$p99" 'BEGIN {print a / b}')")")
            [[ $name == base ]] && FLOOR_ROWS+=("$(printf '%-6s %4s Quarry/base: req/s %.2f, p99 %.2f' "$SCALE" "$c" \
                "$(awk -v a="$q_rps" -v b="$rps" 'BEGIN {print a / b}')" "$(awk -v a="$q_p99" -v b="$p99" 'BEGIN {print a / b}')")")
        done
    done
    stop_background

    cat > "$OUT/live.lua" <<'LUA'
request = function() return wrk.format("GET", "/q/health/live") end
LUA
    cat > "$OUT/unknown.lua" <<'LUA'
request = function() return wrk.format("GET", "/queries/no/such-template?orderkey=1") end
LUA
    for c in $MAIN_CLIENTS; do
        wait_alone
        log "scale $SCALE, ceiling, $c clients: wrk on /q/health/live and on an unknown template (404)"
        run_wrk "$OUT/live.lua" "$c" "$OUT/sf$SCALE-live-c$c"
        live=$W_RPS live_p50=$W_P50 live_p99=$W_P99 live_cpu=$W_CPU
        run_wrk "$OUT/unknown.lua" "$c" "$OUT/sf$SCALE-unknown-c$c" # its 404s are the point: W_ERR names them
        CEILINGS+=("$(printf '%-6s %4s | /q/health/live %8s req/s (p50 %s, p99 %s ms, CPU us %s) | unknown template 404 %8s req/s (p50 %s, p99 %s ms, CPU us %s)' \
            "$SCALE" "$c" "$live" "$live_p50" "$live_p99" "$live_cpu" "$W_RPS" "$W_P50" "$W_P99" "$W_CPU")")
    done

    for name in q06 order; do
        for c in $MAIN_CLIENTS; do
            wait_alone
            prefix=$OUT/sf$SCALE-$name-c$c
            defs=("${Q06_DEFS[@]}")
            [[ $name == order ]] && defs=("${ORDER_DEFS[@]}")
            log "scale $SCALE, tpch/$name, $c clients: wrk"
            run_wrk "$OUT/$name.lua" "$c" "$prefix"
            log "  Quarry $W_OK_RPS req/s (2xx), p50 $W_P50 ms, p99 $W_P99 ms; pgbench"
            run_pgbench "$OUT/$name.sql" "$c" "$prefix" "${defs[@]}"
            log "  pgbench $P_TPS tps, average $P_AVG ms, p50 $P_P50 ms, p99 $P_P99 ms"
            TX_TPS=-
            if [[ $PGBENCH_TX == 1 ]]; then
                P_TPS_STMT=$P_TPS P_AVG_STMT=$P_AVG P_P50_STMT=$P_P50 P_P99_STMT=$P_P99 P_CPU_STMT=$P_CPU
                run_pgbench "$OUT/$name-tx.sql" "$c" "$prefix-tx" "${defs[@]}"
                TX_TPS=$P_TPS
                log "  pgbench as Quarry sends it: $TX_TPS tps, average $P_AVG ms"
                P_TPS=$P_TPS_STMT P_AVG=$P_AVG_STMT P_P50=$P_P50_STMT P_P99=$P_P99_STMT P_CPU=$P_CPU_STMT
            fi
            ratio=$(awk -v a="$W_OK_RPS" -v b="$P_TPS" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
            txratio=-
            [[ $TX_TPS == - ]] || txratio=$(awk -v a="$W_OK_RPS" -v b="$TX_TPS" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
            spread=$(awk -v a="$W_P99" -v b="$W_P50" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')
            row=$(printf '%-6s %-11s %4s | %8s %8s %6s | %8s %6s | %8s %8s %6s | %8s %8s %8s | %-14s %-10s' \
                "$SCALE" "tpch/$name" "$c" "$W_OK_RPS" "$P_TPS" "$ratio" "$TX_TPS" "$txratio" "$W_P50" "$W_P99" "$spread" "$P_AVG" "$P_P50" "$P_P99" "$W_CPU" "$P_CPU")
            echo "$row" >> "$RESULTS"
            ROWS+=("$ratio $SCALE $name $c")
            [[ -z $W_ERR ]] || echo "       ^ wrk: $W_ERR" >> "$RESULTS"
        done
    done
    RSS_AFTER=$(rss_mb)
    STARTUPS[-1]="${STARTUPS[-1]}, RSS after the runs ${RSS_AFTER} MB"

    if [[ $JFR == 1 && $SCALE == "${SCALES##* }" ]]; then
        read -r _ _ name c < <(printf '%s\n' "${ROWS[@]}" | grep " $SCALE " | sort -g | head -1)
        wait_alone
        log "scale $SCALE: the worst case (tpch/$name, $c clients) for 30 s under JFR"
        rec=$OUT/sf$SCALE-$name-c$c.jfr
        rm -f "$rec"
        jcmd "$QPID" JFR.start name=bench duration=30s settings=profile filename="$rec" > /dev/null
        wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d30s --latency -s "$OUT/$name.lua" "$BASE" > "$OUT/sf$SCALE-$name-c$c.jfr-wrk.txt"
        for _ in $(seq 60); do jfr summary "$rec" > /dev/null 2>&1 && break; sleep 0.5; done
        # this JDK's jfr prints frames as "method(args) line: N" (no "at "): counted per method
        frames() { jfr print --events jdk.ExecutionSample --stack-depth "$1" "$rec" | grep -E '^ +[[:alnum:]_$.]+\(.*\) line: ' \
            | sed -E 's/ line: [0-9]+$//; s/^ +//' | sort | uniq -c | sort -rn | head -"$2" || true; } # head closes the pipe early
        {
            echo "JFR, scale $SCALE, tpch/$name, $c clients, 30 s ($rec), $(jfr summary "$rec" | awk '/jdk.ExecutionSample/ {print $2}') samples"
            echo "self (top frame):"
            frames 1 25
            echo
            echo "inclusive (any frame, 64 deep):"
            frames 64 40
        } > "$OUT/jfr-top.txt"
    fi
    stop_quarry
    sleep 2
done

{
    echo
    echo "Quarry against the floor (FloorServer: bare Vert.x HTTP + Vert.x PG pool, $EVENT_LOOPS event loops, pool 20)${BASE_JAR:+ and the base build $BASE_JAR}:"
    echo "tpch/order, random keys, wrk -d${DURATION}s, $FLOOR_ROUNDS rounds in turn; medians, then every round (req/s 2xx | p99 ms)"
    printf '%-6s %4s %-7s | %9s %8s | %s\n' scale c side 'req/s' 'p99 ms' 'rounds'
    printf '%s\n' "${FLOOR_ROWS[@]}"
    echo
    echo "Ceiling: the same process, no database (wrk as above)"
    printf '%s\n' "${CEILINGS[@]}"
    echo
    printf '%s\n' "${STARTUPS[@]}"
    echo "(startup: java -jar with the defaults, embedded PostgreSQL started by Quarry, data already loaded)"
} >> "$RESULTS"
echo
cat "$RESULTS"
[[ ! -f $OUT/jfr-top.txt ]] || { echo; cat "$OUT/jfr-top.txt"; }
