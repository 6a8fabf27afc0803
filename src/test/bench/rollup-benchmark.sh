#!/usr/bin/env bash
# Rollup benchmark (src/site/markdown/benchmarks/rollups.md).
# A benchmark, not a timed test: run it by hand, on a machine that is otherwise quiet:
#
#   src/test/bench/rollup-benchmark.sh
#
# At TPC-H scale 1 (BENCH_SCALE), with no answer cached (no template of the mix declares @cache and no
# default time to live is set), in one run against one database:
#   - the build of each declared rollup: `refresh --full`, its time, rows and bytes;
#   - 50 distinct exploring requests over the rolled-up templates (groupings, measures, time ranges on
#     month and year boundaries, filters, sorts), each asked BENCH_ROUNDS times (3) answered from the
#     rollups and as often with _rollup=off (the template as written), alternating request by request;
#     p50 and p99 of each side and their ratio; every answer compared byte for byte with its
#     _rollup=off twin, and the Quarry-Source of each counted;
#   - a refresh of one changed partition (an order dated after the last one, in the last year) against a
#     full rebuild of the same rollup (BENCH_PARTITIONED, analysis/revenue-cube monthly).
# It builds the jar when it is missing, keeps its own embedded PostgreSQL under
# target/bench-rollups/postgres (loaded once; a rerun finds it), and notes the 1-minute load at the start
# and end of each part, as the machine may be shared: compare only within one run.
# Ports: BENCH_PG_PORT (54393), BENCH_HTTP_PORT (18446). Everything it writes is under
# target/bench-rollups (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench-rollups
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_PORT=${BENCH_PG_PORT:-54393}
HTTP_PORT=${BENCH_HTTP_PORT:-18446}
SCALE=${BENCH_SCALE:-1}
ROUNDS=${BENCH_ROUNDS:-3}
PARTITIONED=${BENCH_PARTITIONED:-analysis/revenue-cube monthly}
BASE=http://127.0.0.1:$HTTP_PORT
DB=tpch_sf${SCALE//./_}
mkdir -p "$OUT"
RESULTS=$OUT/results.txt

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
check_tools java curl awk sha256sum psql

trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f $JAR ]]; then
    log "building the jar"
    ./mvnw -q -B -DskipTests package
fi
PROPS=(-Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$OUT/postgres" -Dquarry.embedded.database="$DB"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT" -Dquarry.rollup.schedule.enabled=false)
load() { cut -d' ' -f1 /proc/loadavg; }

log "loading TPC-H scale $SCALE into $DB (skipped when it is already loaded)"
java "${PROPS[@]}" -jar "$JAR" load --scale "$SCALE" > "$OUT/load.log" 2>&1 || { tail -20 "$OUT/load.log" >&2; die "load failed"; }

# 1. every rollup built whole, one after another
BUILD_LOAD=$(load)
log "building every rollup (refresh --full)"
java "${PROPS[@]}" -jar "$JAR" refresh --full > "$OUT/build.txt" 2>&1 || { cat "$OUT/build.txt" >&2; die "a rollup failed to build"; }
BUILD_LOAD="$BUILD_LOAD -> $(load)"

start_quarry() { # serve until /q/health/ready answers: Quarry owns the embedded server, which runs while it does
    java "${PROPS[@]}" -jar "$JAR" > "$OUT/quarry.log" 2>&1 &
    QPID=$!
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "$BASE/q/health/ready" && return
        kill -0 "$QPID" 2> /dev/null || { tail -20 "$OUT/quarry.log" >&2; die "Quarry did not start"; }
        sleep 0.05
    done
    die "Quarry was not ready within 60 s"
}
sql() { # the statements on standard input, with the embedded server held up by a Quarry for the time
    start_quarry
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 > /dev/null
    stop_quarry
}

# 2. the 50 requests, from rollups and from the templates, with Quarry serving over the embedded server
start_quarry

REQUESTS=(
    # revenue-cube: groupings and measures a person tries while exploring
    'analysis/revenue-cube?_group=region,year&_measures=revenue,quantity'
    'analysis/revenue-cube?_group=nation,month&_measures=revenue'
    'analysis/revenue-cube?_group=region&_measures=revenue,quantity,avg_discount'
    'analysis/revenue-cube?_group=year&_measures=revenue'
    'analysis/revenue-cube?_group=year,quarter&_measures=revenue,quantity'
    'analysis/revenue-cube?_group=segment&_measures=revenue'
    'analysis/revenue-cube?_group=segment,year&_measures=quantity'
    'analysis/revenue-cube?_group=category&_measures=revenue,avg_discount'
    'analysis/revenue-cube?_group=category,region&_measures=revenue'
    'analysis/revenue-cube?_group=ship_mode&_measures=quantity'
    'analysis/revenue-cube?_group=ship_mode,year&_measures=revenue,quantity'
    'analysis/revenue-cube?_group=nation&_measures=revenue&_sort=-revenue'
    'analysis/revenue-cube?_group=nation,segment&_measures=revenue&_sort=-revenue&_limit=10'
    'analysis/revenue-cube?_group=region,segment,year&_measures=revenue'
    'analysis/revenue-cube?_group=region,category&_measures=quantity,avg_discount'
    'analysis/revenue-cube?_group=month&_measures=revenue'
    'analysis/revenue-cube?_group=quarter&_measures=revenue,quantity'
    'analysis/revenue-cube?_group=region,year,quarter&_measures=revenue'
    'analysis/revenue-cube?_group=nation,year&_measures=quantity&_sort=nation,year'
    'analysis/revenue-cube?_group=category,ship_mode&_measures=revenue'
    'analysis/revenue-cube?_group=region&_measures=revenue&since=1995-01-01&until=1996-01-01'
    'analysis/revenue-cube?_group=nation&_measures=revenue&since=1994-01-01&until=1997-01-01'
    'analysis/revenue-cube?_group=month&_measures=revenue,quantity&since=1996-01-01&until=1997-01-01'
    'analysis/revenue-cube?_group=segment,month&_measures=revenue&since=1997-01-01&until=1998-01-01'
    'analysis/revenue-cube?_group=category&_measures=revenue&since=1993-01-01&until=1994-01-01'
    'analysis/revenue-cube?_group=ship_mode,quarter&_measures=quantity&since=1995-04-01&until=1995-10-01'
    'analysis/revenue-cube?_group=region,month&_measures=avg_discount&since=1992-01-01&until=1993-01-01'
    'analysis/revenue-cube?_group=year&_measures=revenue,quantity,avg_discount&since=1993-01-01&until=1998-01-01'
    'analysis/revenue-cube?_group=nation,category&_measures=revenue&_sort=-revenue&_limit=20'
    'analysis/revenue-cube?_group=region,ship_mode&_measures=revenue,quantity'
    'analysis/revenue-cube?_group=segment,category&_measures=revenue'
    'analysis/revenue-cube?_group=year,month&_measures=revenue&since=1994-01-01&until=1995-01-01'
    'analysis/revenue-cube?_group=region,year&_measures=revenue&region=ASIA'
    'analysis/revenue-cube?_group=nation,year&_measures=revenue&year=1996'
    'analysis/revenue-cube?_group=category,year&_measures=quantity&category=PROMO'
    'analysis/revenue-cube?_group=ship_mode&_measures=revenue&ship_mode=AIR'
    'analysis/revenue-cube?_measures=revenue,quantity'
    'analysis/revenue-cube?_group=region,segment&_measures=avg_discount&_sort=avg_discount'
    # monthly-trend, nation-summary, q01: their own parameters over their ranges
    'analysis/monthly-trend'
    'analysis/monthly-trend?since=1993-01-01&until=1994-01-01'
    'analysis/monthly-trend?since=1996-01-01&until=1998-01-01'
    'analysis/monthly-trend?region=EUROPE'
    'analysis/monthly-trend?region=ASIA&since=1994-01-01&until=1995-01-01'
    'analysis/nation-summary'
    'analysis/nation-summary?since=1993-01-01&until=1994-01-01'
    'analysis/nation-summary?since=1992-01-01&until=1999-01-01'
    'analysis/nation-summary?since=1997-01-01&until=1998-01-01'
    'tpch/q01'
    'tpch/q01?delta=60'
    'tpch/q01?delta=120'
)
((${#REQUESTS[@]} == 50)) || die "the mix has ${#REQUESTS[@]} requests, not 50"

ask() { # path file: the JSON answer into file; prints seconds and the Quarry-Source header
    curl -s -o "$2" -D "$2.headers" -w '%{http_code} %{time_total}\n' -H 'Accept: application/json' "$BASE/queries/$1" \
        | awk -v f="$2" '$1 != 200 {print "HTTP " $1 " for " f > "/dev/stderr"; exit 1} {print $2}'
}
REQUEST_LOAD=$(load)
: > "$OUT/times.txt"
DIFFERENT=0
FROM_ROLLUP=0
for round in $(seq "$ROUNDS"); do
    log "round $round of $ROUNDS: ${#REQUESTS[@]} requests, from rollups and with _rollup=off"
    for i in "${!REQUESTS[@]}"; do
        path=${REQUESTS[i]}
        sep='?'
        [[ $path == *\?* ]] && sep='&'
        t_rollup=$(ask "$path" "$OUT/answer-$i.rollup") || die "no answer for $path"
        t_template=$(ask "$path${sep}_rollup=off" "$OUT/answer-$i.template") || die "no answer for $path&_rollup=off"
        source=$(awk -F': ' 'tolower($1) == "quarry-source" {print $2}' "$OUT/answer-$i.rollup.headers" | tr -d '\r')
        printf '%s %s %s %s\n' "$i" "$t_rollup" "$t_template" "${source%%;*}" >> "$OUT/times.txt"
        if ((round == 1)); then
            if ! cmp -s "$OUT/answer-$i.rollup" "$OUT/answer-$i.template"; then
                log "DIFFERENT: $path"
                DIFFERENT=$((DIFFERENT + 1))
            fi
            [[ $source == rollup* ]] && FROM_ROLLUP=$((FROM_ROLLUP + 1))
        fi
    done
done
REQUEST_LOAD="$REQUEST_LOAD -> $(load)"
stop_quarry

percentile() { # column p: the p-th percentile of the column of times.txt, in ms
    awk -v c="$1" '{print $c * 1000}' "$OUT/times.txt" | sort -n | awk -v p="$2" '{v[NR] = $1} END {i = int(NR * p); if (i < NR * p || i == 0) i++; printf "%.1f", v[i]}'
}
R50=$(percentile 2 0.5)
R99=$(percentile 2 0.99)
T50=$(percentile 3 0.5)
T99=$(percentile 3 0.99)

# 3. one changed partition against a full rebuild of the same rollup
read -r P_TEMPLATE P_ROLLUP <<< "$PARTITIONED"
PARTITION_LOAD=$(load)
log "a new order dated after the last one, then refresh $PARTITIONED (its changed partition), then the same whole"
sql <<'SQL'
INSERT INTO orders
SELECT o_orderkey + 1000000000, o_custkey, o_orderstatus, o_totalprice, (SELECT max(o_orderdate) + 1 FROM orders), o_orderpriority,
       o_clerk, o_shippriority, o_comment
FROM orders ORDER BY o_orderdate DESC LIMIT 1;
INSERT INTO lineitem
SELECT l_orderkey + 1000000000, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag,
       l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment
FROM lineitem WHERE l_orderkey = (SELECT o_orderkey - 1000000000 FROM orders WHERE o_orderkey > 1000000000);
SQL
java "${PROPS[@]}" -jar "$JAR" refresh --template "$P_TEMPLATE" --rollup "$P_ROLLUP" > "$OUT/partition.txt" 2>&1 \
    || { cat "$OUT/partition.txt" >&2; die "the partition refresh failed"; }
java "${PROPS[@]}" -jar "$JAR" refresh --full --template "$P_TEMPLATE" --rollup "$P_ROLLUP" > "$OUT/full.txt" 2>&1 \
    || { cat "$OUT/full.txt" >&2; die "the full refresh failed"; }
sql <<'SQL'
DELETE FROM lineitem WHERE l_orderkey > 1000000000;
DELETE FROM orders WHERE o_orderkey > 1000000000;
SQL
PARTITION_LOAD="$PARTITION_LOAD -> $(load)"
seconds_of() { awk '/^(BUILT|REFRESHED)/ {print $NF == "s" ? $(NF - 1) : $NF}' "$1"; }
P_SECONDS=$(seconds_of "$OUT/partition.txt")
F_SECONDS=$(seconds_of "$OUT/full.txt")

{
    printf 'Rollup benchmark, %s, %s cores, scale %s, %s rounds of %s requests each way\n' "$(date -u +%F)" "$(nproc)" "$SCALE" "$ROUNDS" \
        "${#REQUESTS[@]}"
    printf '\nBuilding every rollup (1-minute load %s):\n' "$BUILD_LOAD"
    grep -E '^(BUILT|FAILED)' "$OUT/build.txt"
    printf '\nRequests (1-minute load %s): %s of %s answered from a rollup, %s answers different from the template'"'"'s\n' \
        "$REQUEST_LOAD" "$FROM_ROLLUP" "${#REQUESTS[@]}" "$DIFFERENT"
    printf '%-26s %10s %10s\n' "" "p50 ms" "p99 ms"
    printf '%-26s %10s %10s\n' "from rollups" "$R50" "$R99"
    printf '%-26s %10s %10s\n' "templates (_rollup=off)" "$T50" "$T99"
    awk -v r="$R50" -v t="$T50" -v r9="$R99" -v t9="$T99" 'BEGIN {printf "ratio, template / rollup: p50 %.0fx, p99 %.0fx\n", t / r, t9 / r9}'
    printf '\n%s: one changed partition against the whole (1-minute load %s):\n' "$PARTITIONED" "$PARTITION_LOAD"
    grep -E '^(REFRESHED|BUILT)' "$OUT/partition.txt" "$OUT/full.txt" | sed 's#^.*/##'
    awk -v p="$P_SECONDS" -v f="$F_SECONDS" 'BEGIN {if (p > 0) printf "ratio, full / one partition: %.1fx\n", f / p}'
} | tee "$RESULTS"
((DIFFERENT == 0)) || die "$DIFFERENT answers differed"
