#!/usr/bin/env bash
# Row-level security benchmark (src/site/markdown/benchmarks/tenancy.md).
# A benchmark, not a timed test: run it by hand, on a machine that is otherwise quiet:
#
#   src/test/bench/tenancy-benchmark.sh
#
# What the policies of deploy/sql/tpch-tenant-row-security.sql cost on top of the bound :tenant alone.
# One tenant (a customer nation, BENCH_TENANT, 7) asks the three tenant demo templates as JSON pages
# (tenant/orders, 100 rows; tenant/customer-revenue, 100 rows; tenant/sales by month), one of them at
# random per request, from BENCH_CLIENTS clients (16) for BENCH_DURATION seconds (30), at TPC-H scale
# BENCH_SCALE (1), with the result cache off, two ways back to back against the same database:
#   - bound parameter alone: tenancy on, Quarry connected as the superuser (no policy applies);
#   - with row-level security: the policies applied, Quarry connected as a reader role they bind, the
#     tenant's setting made in every query's transaction (quarry.tenant.row-security.setting).
# Then the same three statements with pgbench (-M prepared), as the superuser and as the reader role
# with the setting made in each transaction, for the database's share alone.
# For each: requests/s, p50 and p99. Ratios (with / without) in the last lines. It installs wrk and
# pgbench with apt-get when they are missing, builds the jar when it is missing, keeps its own embedded
# PostgreSQL under target/bench-tenancy/postgres (loaded once), removes the policies and the role at the
# end, and waits for the 1-minute load to fall under BENCH_MAX_LOAD (1.5) before each measurement.
# Ports: BENCH_PG_PORT (54392), BENCH_HTTP_PORT (18445). Everything it writes is under
# target/bench-tenancy (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench-tenancy
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_PORT=${BENCH_PG_PORT:-54392}
HTTP_PORT=${BENCH_HTTP_PORT:-18445}
SCALE=${BENCH_SCALE:-1}
CLIENTS=${BENCH_CLIENTS:-16}
DURATION=${BENCH_DURATION:-30}
MAX_LOAD=${BENCH_MAX_LOAD:-1.5}
TENANT=${BENCH_TENANT:-7}
PAGES=("tenant/orders?_limit=100" "tenant/customer-revenue?_limit=100" "tenant/sales?_group=month&_measures=revenue,lines")
BASE=http://127.0.0.1:$HTTP_PORT
DB=tpch_sf${SCALE//./_}
ISSUER=quarry-tenancy-bench
READER=quarry_tenant_bench
mkdir -p "$OUT"
RESULTS=$OUT/results.txt

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
# shellcheck source=src/test/bench/jwt-tools.sh
source "$ROOT/src/test/bench/jwt-tools.sh"
need_tools java curl jq awk wrk pgbench psql openssl

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB")
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f $JAR ]]; then
    log "building the jar"
    ./mvnw -q -B -DskipTests package
fi
jwt_keys "$OUT"
TOKEN=$(jwt_token "$OUT" "$ISSUER" "\"nation\":$TENANT")
PROPS=(-Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$OUT/postgres" -Dquarry.embedded.database="$DB"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT"
    -Dquarry.auth.enabled=true -Dmp.jwt.verify.publickey.location="$OUT/jwt-public.pem" -Dmp.jwt.verify.issuer="$ISSUER"
    -Dquarry.tenant.claim=nation -Dquarry.tenant.claim-type=int
    "-Dquarry.tenant.tables=customer.c_nationkey,orders.o_custkey=customer.c_custkey,lineitem.l_orderkey=orders.o_orderkey"
    # the shipped analyses read every nation's rows: out of service with tenancy on
    -Dquarry.templates.on-error=mark-broken)

log "loading TPC-H scale $SCALE into $DB (skipped when it is already loaded)"
java -Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$OUT/postgres" -Dquarry.embedded.database="$DB" \
    -jar "$JAR" load --scale "$SCALE" > "$OUT/load.log" 2>&1 || { tail -20 "$OUT/load.log" >&2; die "load failed"; }

start_quarry() { # extra java options...: java -jar until /q/health/ready answers 200
    java "${PROPS[@]}" "$@" -jar "$JAR" > "$OUT/quarry.log" 2>&1 &
    QPID=$!
    for _ in $(seq 2400); do
        curl -sf -o /dev/null "$BASE/q/health/ready" && return
        kill -0 "$QPID" 2> /dev/null || { tail -20 "$OUT/quarry.log" >&2; die "Quarry did not start"; }
        sleep 0.05
    done
    die "Quarry was not ready within 120 s"
}

{
    printf 'local pages = {'
    for page in "${PAGES[@]}"; do printf '"/queries/%s",' "$page"; done
    printf '}\n'
    printf 'request = function()\n  return wrk.format("GET", pages[math.random(#pages)], {["Accept"] = "application/json", ["Authorization"] = "Bearer %s"})\nend\n' "$TOKEN"
} > "$OUT/mix.lua"

run_quarry() { # label java-options...: sets RPS P50 P99, and checks that both ways answer the same rows
    local label=$1 file=$OUT/$1.wrk.txt
    shift
    start_quarry "$@"
    for page in "${PAGES[@]}"; do
        curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/queries/$page" | jq -c '.rows' > "$OUT/$label.${page%%\?*}.rows" \
            || die "$label: no answer from $page"
    done
    await_quiet
    log "$label: $CLIENTS clients for ${DURATION}s"
    wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 120s --latency -s "$OUT/mix.lua" "$BASE" > "$file" 2>&1 || { cat "$file" >&2; die "wrk failed"; }
    grep -E 'Non-2xx|Socket errors' "$file" >&2 && die "$label: requests failed"
    RPS=$(awk '/^Requests\/sec/ {printf "%.1f", $2}' "$file")
    P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
    P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
    stop_quarry
}

# the rows each way answered, compared at the end
mkdir -p "$OUT/bound.tenant" "$OUT/policies.tenant"
# the embedded server stops with Quarry: the policies are applied while the first Quarry is up
run_quarry bound
BOUND=("$RPS" "$P50" "$P99")

start_quarry
log "applying deploy/sql/tpch-tenant-row-security.sql and the reader role $READER"
"${PSQL[@]}" -c "DROP ROLE IF EXISTS $READER" -c "CREATE ROLE $READER LOGIN PASSWORD 'bench' NOSUPERUSER NOBYPASSRLS" \
    -c "GRANT USAGE ON SCHEMA public TO $READER" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO $READER"
"${PSQL[@]}" -f deploy/sql/tpch-tenant-row-security.sql
# the statements the pages run, for pgbench: from _explain=true, the tenant's value inlined
scripts=()
for page in "${PAGES[@]}"; do
    name=$(echo "${page%%\?*}" | tr '/' '-')
    curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/queries/$page&_explain=true" -o "$OUT/$name.explain.json" \
        || die "no _explain for $page"
    sql=$(jq -r '.sql' "$OUT/$name.explain.json" | tr '\n' ' ')
    mapfile -t values < <(jq -r '.values[] | tostring' "$OUT/$name.explain.json")
    for ((i = ${#values[@]}; i >= 1; i--)); do
        sql=${sql//\$$i/\'${values[i - 1]}\'}
    done
    printf '%s;\n' "$sql" > "$OUT/$name.sql"
    printf 'BEGIN;\nSELECT set_config('"'"'quarry.tenant'"'"', '"'"'%s'"'"', true);\n%s;\nCOMMIT;\n' "$TENANT" "$sql" > "$OUT/$name.rls.sql"
    scripts+=("$name")
done
pgbench_run() { # label user suffix: sets TPS P50 P99
    local files=() name
    for name in "${scripts[@]}"; do files+=(-f "$OUT/$name$3.sql@1"); done
    await_quiet
    log "pgbench $1: $CLIENTS clients for ${DURATION}s"
    rm -f "$OUT"/pgbench_log.*
    (cd "$OUT" && PGPASSWORD=bench pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$DURATION" -l -h 127.0.0.1 -p "$PG_PORT" -U "$2" \
        "${files[@]}" "$DB" > "$OUT/pgbench-$1.txt" 2>&1) || { cat "$OUT/pgbench-$1.txt" >&2; die "pgbench failed"; }
    TPS=$(awk '/^tps/ {printf "%.1f", $3}' "$OUT/pgbench-$1.txt")
    read -r P50 P99 < <(cat "$OUT"/pgbench_log.* | awk '{print $3 / 1000}' | sort -n \
        | awk '{v[NR] = $1} END {printf "%.1f %.1f\n", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1]}')
}
pgbench_run bound postgres ""
PG_BOUND=("$TPS" "$P50" "$P99")
pgbench_run policies "$READER" ".rls"
PG_POLICIES=("$TPS" "$P50" "$P99")
stop_quarry

run_quarry policies -Dquarkus.datasource.username="$READER" -Dquarkus.datasource.password=bench -Dquarry.tenant.row-security.setting=quarry.tenant
POLICIES=("$RPS" "$P50" "$P99")
for page in "${PAGES[@]}"; do
    cmp -s "$OUT/bound.${page%%\?*}.rows" "$OUT/policies.${page%%\?*}.rows" || die "$page answers differently with the policies"
done

start_quarry
log "removing the policies and the role"
"${PSQL[@]}" -c "DROP POLICY IF EXISTS tenant ON customer" -c "DROP POLICY IF EXISTS tenant ON orders" \
    -c "DROP POLICY IF EXISTS tenant ON lineitem" -c "ALTER TABLE customer DISABLE ROW LEVEL SECURITY" \
    -c "ALTER TABLE orders DISABLE ROW LEVEL SECURITY" -c "ALTER TABLE lineitem DISABLE ROW LEVEL SECURITY" \
    -c "DROP FUNCTION IF EXISTS quarry_tenant()" -c "DROP OWNED BY $READER" -c "DROP ROLE $READER"
cleanup

{
    printf 'Tenancy benchmark, %s, %s cores, scale %s, tenant %s, %s clients, %s s each, pages: %s\n' "$(date -u +%F)" "$(nproc)" \
        "$SCALE" "$TENANT" "$CLIENTS" "$DURATION" "${PAGES[*]}"
    printf '%-34s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
    printf '%-34s %10s %10s %10s\n' "Quarry, bound :tenant alone" "${BOUND[@]}"
    printf '%-34s %10s %10s %10s\n' "Quarry, with row-level security" "${POLICIES[@]}"
    printf '%-34s %10s %10s %10s\n' "pgbench, bound value alone" "${PG_BOUND[@]}"
    printf '%-34s %10s %10s %10s\n' "pgbench, with row-level security" "${PG_POLICIES[@]}"
    awk -v q="${POLICIES[0]}" -v b="${BOUND[0]}" -v pq="${PG_POLICIES[0]}" -v pb="${PG_BOUND[0]}" \
        'BEGIN {printf "throughput with / without the policies: Quarry %.2fx, pgbench %.2fx\n", q / b, pq / pb}'
    ((LOADED_ANYWAY == 0)) || echo "($LOADED_ANYWAY measurement(s) started with the 1-minute load above $MAX_LOAD)"
} | tee "$RESULTS"
