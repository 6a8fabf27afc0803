#!/usr/bin/env bash
# Result cache benchmark (src/site/markdown/benchmarks/cache.md).
# A benchmark, not a timed test: run it by hand, on a machine
# that is otherwise quiet:
#
#   src/test/bench/cache-benchmark.sh
#
# A dashboard's mix: 64 clients (BENCH_CLIENTS) each asking, one request after the other, for one of
# 8 dashboard queries at random (JSON pages, default parameters: tpch/q01 q03 q05 q06 q10 q12 q14 and
# analysis/nation-summary) at TPC-H scale 1 (BENCH_SCALE), for BENCH_DURATION seconds (60), three ways
# back to back against the same database:
#   - Quarry without the cache (its defaults: concurrent identical requests still share one execution);
#   - Quarry with every template's answers kept for 60 s (-Dquarry.cache.default-ttl=60s);
#   - pgbench (-n -M prepared -c 64 -j 2) running the exact SQL of the same 8 pages (from _explain=true,
#     with the same values), each script drawn at random with the same weight.
# For each: requests/s, p50 and p99 (wrk --latency; pgbench's per-transaction log), and PostgreSQL
# executions per 1,000 requests (Quarry: quarry_query_seconds_count, which counts database
# executions only, against wrk's requests; pgbench: 1,000). Ratios in the last lines.
# It installs wrk and pgbench with apt-get when they are missing, builds the jar when it is missing,
# keeps its own embedded PostgreSQL under target/bench-cache/postgres (loaded once; a rerun finds it),
# and waits for the 1-minute load to fall under BENCH_MAX_LOAD (1.5) before each measurement (saying
# so when it measured anyway). Ports: BENCH_PG_PORT (54391), BENCH_HTTP_PORT (18444).
# Everything it writes is under target/bench-cache (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench-cache
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_PORT=${BENCH_PG_PORT:-54391}
HTTP_PORT=${BENCH_HTTP_PORT:-18444}
SCALE=${BENCH_SCALE:-1}
CLIENTS=${BENCH_CLIENTS:-64}
DURATION=${BENCH_DURATION:-60}
MAX_LOAD=${BENCH_MAX_LOAD:-1.5}
PAGES=(tpch/q01 tpch/q03 tpch/q05 tpch/q06 tpch/q10 tpch/q12 tpch/q14 analysis/nation-summary)
BASE=http://127.0.0.1:$HTTP_PORT
DB=tpch_sf${SCALE//./_}
mkdir -p "$OUT"
RESULTS=$OUT/results.txt

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
need_tools java curl jq awk wrk pgbench psql

trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f $JAR ]]; then
    log "building the jar"
    ./mvnw -q -B -DskipTests package
fi
PROPS=(-Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$OUT/postgres" -Dquarry.embedded.database="$DB"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT")

log "loading TPC-H scale $SCALE into $DB (skipped when it is already loaded)"
java "${PROPS[@]}" -jar "$JAR" load --scale "$SCALE" > "$OUT/load.log" 2>&1 || { tail -20 "$OUT/load.log" >&2; die "load failed"; }

start_quarry() { # extra java options...: java -jar until /q/health/ready answers 200
    java "${PROPS[@]}" "$@" -jar "$JAR" > "$OUT/quarry.log" 2>&1 &
    QPID=$!
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "$BASE/q/health/ready" && return
        kill -0 "$QPID" 2> /dev/null || { tail -20 "$OUT/quarry.log" >&2; die "Quarry did not start"; }
        sleep 0.05
    done
    die "Quarry was not ready within 60 s"
}

executions() { # database executions so far, as quarry_query_seconds counts them
    curl -sf "$BASE/q/metrics" | awk '/^quarry_query_seconds_count\{/ && /outcome="ok"/ {n += $NF} END {printf "%.0f", n}'
}

# wrk picks one of the 8 pages at random for every request
{
    printf 'local pages = {'
    for page in "${PAGES[@]}"; do printf '"/queries/%s",' "$page"; done
    printf '}\n'
    printf 'request = function()\n  return wrk.format("GET", pages[math.random(#pages)], {["Accept"] = "application/json"})\nend\n'
} > "$OUT/mix.lua"

run_quarry() { # label java-options...: sets RPS P50 P99 PER_1000
    local label=$1 file=$OUT/$1.wrk.txt before after requests
    shift
    start_quarry "$@"
    await_quiet
    # each page once, as wrk asks for it, right before it: the database's caches warm on both sides, and the
    # cache's first answers in (a dashboard watched, not one opened for the first time; the cold answers are these
    # requests' times). With a 60 s time to live they expire during the run: each is refreshed once, in the background.
    for page in "${PAGES[@]}"; do
        curl -sf -o /dev/null -w "$label: first answer of $page in %{time_total} s\n" -H 'Accept: application/json' "$BASE/queries/$page" >&2 \
            || die "no answer from $page"
    done
    log "$label: $CLIENTS clients for ${DURATION}s"
    before=$(executions)
    wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 120s --latency -s "$OUT/mix.lua" "$BASE" > "$file" 2>&1 || { cat "$file" >&2; die "wrk failed"; }
    after=$(executions)
    requests=$(awk '/requests in/ {print $1}' "$file")
    RPS=$(awk '/^Requests\/sec/ {printf "%.1f", $2}' "$file")
    P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
    P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
    PER_1000=$(awk -v e=$((after - before)) -v n="$requests" 'BEGIN {printf "%.3f", n ? 1000 * e / n : 0}')
    grep -E 'Non-2xx|Socket errors' "$file" >&2 || true
    stop_quarry
}

run_quarry no-cache
NC=("$RPS" "$P50" "$P99" "$PER_1000")
run_quarry cache -Dquarry.cache.default-ttl=60s
C=("$RPS" "$P50" "$P99" "$PER_1000")

# pgbench: the same 8 statements with the same values, from _explain=true
start_quarry
scripts=()
for page in "${PAGES[@]}"; do
    name=${page//\//-}
    curl -sf "$BASE/queries/$page?_explain=true" -o "$OUT/$name.explain.json" || die "no _explain for $page"
    sql=$(jq -r '.sql' "$OUT/$name.explain.json" | tr '\n' ' ')
    # the values inlined as literals, in the order of their placeholders, highest number first ($10 before $1);
    # a list is a PostgreSQL array literal, {"MAIL","SHIP"}
    mapfile -t values < <(jq -r '.values[] | if type == "array" then "{" + (map(tojson) | join(",")) + "}" else tostring end' \
        "$OUT/$name.explain.json")
    for ((i = ${#values[@]}; i >= 1; i--)); do
        sql=${sql//\$$i/\'${values[i - 1]//\'/\'\'}\'}
    done
    printf '%s;\n' "$sql" > "$OUT/$name.sql"
    scripts+=(-f "$OUT/$name.sql@1")
done
# Quarry owns the embedded server, which stops with it: Quarry stays up, idle, while pgbench runs
await_quiet
log "pgbench: $CLIENTS clients for ${DURATION}s"
rm -f "$OUT"/pgbench_log.*
(cd "$OUT" && pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$DURATION" -l -h 127.0.0.1 -p "$PG_PORT" -U postgres "${scripts[@]}" "$DB" \
    > "$OUT/pgbench.txt" 2>&1) || { cat "$OUT/pgbench.txt" >&2; die "pgbench failed"; }
stop_quarry
PG_TPS=$(awk '/^tps/ {printf "%.1f", $3}' "$OUT/pgbench.txt")
read -r PG_P50 PG_P99 < <(cat "$OUT"/pgbench_log.* | awk '{print $3 / 1000}' | sort -n \
    | awk '{v[NR] = $1} END {printf "%.1f %.1f\n", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1]}')
cleanup

{
    printf 'Cache benchmark, %s, %s cores, scale %s, %s clients, %s s each, pages: %s\n' "$(date -u +%F)" "$(nproc)" "$SCALE" \
        "$CLIENTS" "$DURATION" "${PAGES[*]}"
    printf '%-22s %10s %10s %10s %22s\n' "" "req/s" "p50 ms" "p99 ms" "executions/1000 req"
    printf '%-22s %10s %10s %10s %22s\n' "Quarry, no cache" "${NC[@]}"
    printf '%-22s %10s %10s %10s %22s\n' "Quarry, cache 60s" "${C[@]}"
    printf '%-22s %10s %10s %10s %22s\n' "pgbench, same mix" "$PG_TPS" "$PG_P50" "$PG_P99" "1000"
    awk -v c="${C[0]}" -v n="${NC[0]}" -v p="$PG_TPS" 'BEGIN {printf "req/s: cache / no cache %.1fx, cache / pgbench %.1fx, no cache / pgbench %.2fx\n", c / n, c / p, n / p}'
    ((LOADED_ANYWAY == 0)) || echo "($LOADED_ANYWAY measurement(s) started with the 1-minute load above $MAX_LOAD)"
} | tee "$RESULTS"
