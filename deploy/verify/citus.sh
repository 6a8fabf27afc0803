#!/usr/bin/env bash
# Proves, with real programs on this machine (loopback only), that Quarry runs on Citus as it does on
# one PostgreSQL:
#   1. installs PostgreSQL 15 and the build tools (Debian packages) when missing, and builds Citus from
#      CITUS_SOURCE (default: the tarball in ../shared/citus beside the repository), unless that very
#      source is already built and installed for this PostgreSQL (kept between runs on one machine);
#   2. starts a Citus coordinator and two workers, and one plain PostgreSQL 15, as an unprivileged OS
#      user (Debian's postgres);
#   3. `load` refuses a coordinator with no worker in one line, leaving nothing behind; then loads TPC-H
#      into both (Citus: orders and lineitem distributed by order key, co-located, the rest reference
#      tables), a second load of the same scale does nothing, and readers during a forced reload and a
#      load killed half-way see the dataset whole; each load built the same rollups on both, reference
#      or distributed tables by size on Citus, and refresh rebuilds them there;
#   4. starts Quarry on the coordinator (as the reader role of deploy/sql/quarry-reader-role.sql) and on
#      the plain PostgreSQL, and compares every shipped template's JSON answer byte for byte, then
#      streams (NDJSON, CSV, SSE through cursors), filters, sort, keyset pages, counts; explain shows
#      Citus' distributed plan; metrics; the read-only guard on the workers; the statement timeout and
#      a client leaving a stream or a page cancel the statement on the workers too, one at a time and
#      sixteen at once (no statement left a second after the last ended); a worker that is down gives a
#      503 naming it, not a hang.
# Prints a PASS or FAIL line per check and `N passed, N failed`; exits non-zero on any failure.
# Everything it starts is stopped, and its data directories removed, on exit.
#   bash deploy/verify/citus.sh        (as root for the packages and the build; servers run as postgres)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/verify-citus"
SCALE=${SCALE:-0.05}
# loopback ports, each overridable from the environment
COORDINATOR_PORT=${COORDINATOR_PORT:-55431}
WORKER1_PORT=${WORKER1_PORT:-55432}
WORKER2_PORT=${WORKER2_PORT:-55433}
SINGLE_PORT=${SINGLE_PORT:-55434}
QUARRY_CITUS_PORT=${QUARRY_CITUS_PORT:-18431}
QUARRY_SINGLE_PORT=${QUARRY_SINGLE_PORT:-18432}
# the servers, the build of Citus and Quarry's processes (CITUS_SOURCE and SERVER_USER from the environment)
source "$ROOT/deploy/verify/citus-cluster.sh"

STARTED=$(date +%s)
PASSED=0
FAILED=0
log() { printf '[citus %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
pass() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
check_failed() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }
check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@"; then pass "$what"; else check_failed "$what"; fi
}
fatal() { check_failed "$*"; exit 1; }

# ---- cleanup: Quarry processes by their own id, then each server by its data directory ----
DATA=""
cleanup() {
    local status=$?
    stop_quarries
    if [[ -n $DATA ]]; then
        stop_servers immediate
        rm -rf "$DATA"
    fi
    [[ -n $BUILD ]] && rm -rf "$BUILD"
    if ((status != 0 && FAILED == 0)); then
        echo "FAIL the script stopped early (exit status $status)"
        FAILED=1
    fi
    ((status == 0 && FAILED == 0)) || log "logs are in $WORK"
    log "done in $(($(date +%s) - STARTED)) s"
    echo "$PASSED passed, $FAILED failed"
    ((FAILED == 0)) || exit 1
    exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # a cancelled run cleans up too

# ---- 1. PostgreSQL 15 and Citus ----
citus_install
quarry_jar
rm -rf "$WORK"
mkdir -p "$WORK/answers/citus" "$WORK/answers/single" "$WORK/templates/verify"

# ---- 2. the servers ----
DATA=$(mktemp -d)
create_cluster
log "$(value_on "$COORDINATOR_PORT" "SELECT citus_version()" | cut -d, -f1); $(value_on "$SINGLE_PORT" "SELECT version()" | cut -d, -f1)"

# ---- 3. load ----
if load_into "$COORDINATOR_PORT" --scale "$SCALE"; then
    check_failed "load into a coordinator with no worker stops"
else
    refusal=$(grep -c "^quarry load:" "$WORK/load-$COORDINATOR_PORT.log" || true)
    check "load into a coordinator with no worker stops with one line naming citus_add_node ($refusal line from quarry load)" \
        grep -q "quarry load: .*citus_add_node" "$WORK/load-$COORDINATOR_PORT.log"
    check "... and leaves no table and no staging schema behind" \
        test "$(value_on "$COORDINATOR_PORT" "SELECT (SELECT count(*) FROM pg_dist_partition) + (SELECT count(*) FROM pg_namespace WHERE nspname = 'quarry_load')")" = 0
    sed 's/^/    /' "$WORK/load-$COORDINATOR_PORT.log"
fi
add_workers
create_reader_role

log "loading TPC-H scale $SCALE into the Citus coordinator"
load_started=$(date +%s)
load_into "$COORDINATOR_PORT" --scale "$SCALE" || { cat "$WORK/load-$COORDINATOR_PORT.log"; fatal "load into Citus"; }
log "  in $(($(date +%s) - load_started)) s"
log "loading TPC-H scale $SCALE into the plain PostgreSQL"
load_into "$SINGLE_PORT" --scale "$SCALE" || { cat "$WORK/load-$SINGLE_PORT.log"; fatal "load into the plain PostgreSQL"; }

layout=$(value_on "$COORDINATOR_PORT" "SELECT string_agg(logicalrelid::text || ':' || partmethod::text || coalesce(':' || column_to_column_name(logicalrelid, partkey), ''), ' ' ORDER BY logicalrelid::text) FROM pg_dist_partition WHERE logicalrelid::text NOT LIKE 'quarry_rollup.%'")
expected_layout="customer:n lineitem:h:l_orderkey nation:n orders:h:o_orderkey part:n part_category:n part_leaf_category:n partsupp:n region:n supplier:n"
check "Citus layout: $layout" test "$layout" = "$expected_layout"
check "orders and lineitem are co-located" test "$(value_on "$COORDINATOR_PORT" "SELECT count(DISTINCT colocationid) FROM pg_dist_partition WHERE logicalrelid IN ('orders'::regclass, 'lineitem'::regclass)")" = 1
check "shards of lineitem on both workers" test "$(value_on "$COORDINATOR_PORT" "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'lineitem'::regclass")" = 2
counts="SELECT (SELECT count(*) FROM lineitem) || ' ' || (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM part_leaf_category)"
single_counts=$(value_on "$SINGLE_PORT" "$counts")
check "the same row counts on Citus and one node ($single_counts)" test "$(value_on "$COORDINATOR_PORT" "$counts")" = "$single_counts"

# rollups: each load built them in its publish transaction; the same rows on both, placed by size on Citus
rollups="SELECT string_agg(template || ' ' || rollup || ' ' || rows, ', ' ORDER BY template, rollup) FROM quarry_rollup.built"
single_rollups=$(value_on "$SINGLE_PORT" "$rollups")
check "the loads built the same rollups on Citus and one node: $single_rollups" \
    test -n "$single_rollups" -a "$(value_on "$COORDINATOR_PORT" "$rollups")" = "$single_rollups"
placement="SELECT string_agg(b.table_name || ':' || coalesce(p.partmethod::text, 'local'), ' ' ORDER BY b.table_name)
    FROM quarry_rollup.built AS b LEFT JOIN pg_dist_partition AS p ON p.logicalrelid = format('quarry_rollup.%I', b.table_name)::regclass"
misplaced="SELECT count(*) FROM quarry_rollup.built AS b
    LEFT JOIN pg_dist_partition AS p ON p.logicalrelid = format('quarry_rollup.%I', b.table_name)::regclass
    WHERE p.partmethod IS DISTINCT FROM CASE WHEN b.rows <= 100000 THEN 'n' ELSE 'h' END"
check "rollups up to 100,000 rows are reference tables, larger ones distributed: $(value_on "$COORDINATOR_PORT" "$placement")" \
    test "$(value_on "$COORDINATOR_PORT" "$misplaced")" = 0
rollup_rows() { # port: a digest of every rollup table's rows
    local table digest=
    for table in $(value_on "$1" "SELECT table_name FROM quarry_rollup.built ORDER BY 1"); do
        digest+="$table:$(value_on "$1" "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM quarry_rollup.\"$table\" AS t") "
    done
    echo "$digest"
}
check "every rollup holds the same rows on Citus and one node" test "$(rollup_rows "$COORDINATOR_PORT")" = "$(rollup_rows "$SINGLE_PORT")"
QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$COORDINATOR_PORT/quarry QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=unused java -jar "$JAR" refresh --full >"$WORK/refresh-citus.log" 2>&1 && refreshed=ok || refreshed=failed
check "refresh --full on Citus ($refreshed): $(tail -1 "$WORK/refresh-citus.log")" \
    test "$refreshed" = ok -a "$(value_on "$COORDINATOR_PORT" "$misplaced")" = 0 \
    -a "$(rollup_rows "$COORDINATOR_PORT")" = "$(rollup_rows "$SINGLE_PORT")"

loaded_at=$(value_on "$COORDINATOR_PORT" "SELECT loaded_at FROM quarry_dataset")
load_into "$COORDINATOR_PORT" --scale "$SCALE" || true
check "a second load of the same scale does nothing" \
    test "$(value_on "$COORDINATOR_PORT" "SELECT loaded_at FROM quarry_dataset")" = "$loaded_at" -a "$(grep -c 'nothing to do' "$WORK/load-$COORDINATOR_PORT.log")" = 1

# readers during a forced reload: every answer is the whole dataset, old or new, never an error
read_during_load() { # file: counts lineitem every 0.2 s until the load's pid is gone
    while kill -0 "$LOAD_PID" 2>/dev/null; do
        psql -X -At -h 127.0.0.1 -p "$COORDINATOR_PORT" -U quarry_reader -d quarry -c "SELECT count(*) FROM lineitem" >>"$1" 2>&1 || true
        sleep 0.2
    done
}
expected_lineitems=$(value_on "$COORDINATOR_PORT" "SELECT count(*) FROM lineitem")
load_into "$COORDINATOR_PORT" --scale "$SCALE" --force &
LOAD_PID=$!
read_during_load "$WORK/reads-during-load.txt"
wait "$LOAD_PID" && reload=ok || reload=failed
reads=$(sort "$WORK/reads-during-load.txt" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
check "a forced reload on Citus ($reload) while a reader counted lineitem: $reads" \
    test "$reload" = ok -a "$(grep -cv "^$expected_lineitems$" "$WORK/reads-during-load.txt")" = 0
loaded_at=$(value_on "$COORDINATOR_PORT" "SELECT loaded_at FROM quarry_dataset")
load_into "$COORDINATOR_PORT" --scale "$SCALE" --force &
LOAD_PID=$!
sleep 6
kill -KILL "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true
check "a load killed half-way ($(tail -1 "$WORK/load-$COORDINATOR_PORT.log" | cut -c1-60)...) leaves the published dataset" \
    test "$(value_on "$COORDINATOR_PORT" "SELECT loaded_at FROM quarry_dataset")" = "$loaded_at" \
    -a "$(value_on "$COORDINATOR_PORT" "$counts")" = "$single_counts"

# ---- 4. Quarry on each ----
# templates for the checks below, beside the shipped ones (which are compared one by one)
cat >"$WORK/templates/verify/slow-scan.sql" <<'EOF'
-- No line item, after a millisecond on each of them on the worker that holds it (for cancel and timeout)
--
-- No row matches, so a page's LIMIT cannot end the scan early.
-- The sleep depends on the row, so it runs on the workers: Citus evaluates a call without column
-- references once, on the coordinator, before it sends the shards' queries.
-- @sort l_orderkey, l_linenumber
-- @key l_orderkey, l_linenumber
SELECT l_orderkey, l_linenumber FROM lineitem WHERE pg_sleep(0.001 + l_linenumber * 0)::text = 'never'
EOF
cat >"$WORK/templates/verify/slow-scan-timeout.sql" <<'EOF'
-- The slow scan with a timeout of its own
-- @timeout 2s
SELECT l_orderkey, l_linenumber FROM lineitem WHERE pg_sleep(0.001 + l_linenumber * 0)::text = 'never'
EOF
cat >"$WORK/templates/verify/lineitems.sql" <<'EOF'
-- Every line item, in key order: a stream long enough to go through the cursor in many fetches
-- @sort l_orderkey, l_linenumber
-- @key l_orderkey, l_linenumber
SELECT l_orderkey, l_linenumber, l_partkey, l_quantity, l_extendedprice, l_shipdate, l_comment FROM lineitem
EOF
cat >"$WORK/templates/verify/read-only-on-workers.sql" <<'EOF'
-- transaction_read_only as the workers see it, shard by shard
SELECT current_setting('transaction_read_only') AS read_only, count(*) AS shards_rows FROM lineitem GROUP BY 1
EOF
log "starting Quarry on the coordinator (:$QUARRY_CITUS_PORT) and on the plain PostgreSQL (:$QUARRY_SINGLE_PORT)"
start_quarry "$COORDINATOR_PORT" "$QUARRY_CITUS_PORT" "$WORK/quarry-citus.log"
start_quarry "$SINGLE_PORT" "$QUARRY_SINGLE_PORT" "$WORK/quarry-single.log"
wait_ready "$QUARRY_CITUS_PORT" "$WORK/quarry-citus.log"
wait_ready "$QUARRY_SINGLE_PORT" "$WORK/quarry-single.log"
pass "Quarry started on Citus: $(grep -o '[0-9]* templates checked[^"]*' "$WORK/quarry-citus.log" | head -1)"
pass "Quarry started on plain PostgreSQL $(value_on "$SINGLE_PORT" "SHOW server_version"): $(grep -o '[0-9]* templates checked[^"]*' "$WORK/quarry-single.log" | head -1)"

CITUS=http://127.0.0.1:$QUARRY_CITUS_PORT
SINGLE=http://127.0.0.1:$QUARRY_SINGLE_PORT
same_answer() { # what, path with query, [Accept]: fetched from both, compared byte for byte
    local what=$1 path=$2 accept=${3:-application/json} file
    file=$(printf '%s' "$what" | tr -c 'A-Za-z0-9._-' '_')
    local citus_status single_status
    citus_status=$(curl -sS -m 120 -H "Accept: $accept" -o "$WORK/answers/citus/$file" -w '%{http_code}' "$CITUS$path" || echo 000)
    single_status=$(curl -sS -m 120 -H "Accept: $accept" -o "$WORK/answers/single/$file" -w '%{http_code}' "$SINGLE$path" || echo 000)
    if [[ $citus_status == 200 && $single_status == 200 ]] && cmp -s "$WORK/answers/citus/$file" "$WORK/answers/single/$file"; then
        pass "$what: the same $(wc -c <"$WORK/answers/citus/$file") bytes on Citus and one node"
    else
        check_failed "$what: Citus $citus_status, one node $single_status; answers in $WORK/answers/{citus,single}/$file"
        head -c 300 "$WORK/answers/citus/$file"
        echo
    fi
}

# every shipped template, with its default parameters, as one JSON page of up to 10,000 rows; not the tenant
# demo's, which answer only a caller with a tenant (tenancy is off here; TenancyIT proves them on one node)
TEMPLATES=$(curl -fsS "$SINGLE/queries" | python3 -c 'import json,sys
for q in json.load(sys.stdin):
    if not q["name"].startswith("verify/") and not q.get("tenant"): print(q["name"])')
[[ $(echo "$TEMPLATES" | grep -c .) -gt 30 ]] || fatal "the catalog lists $(echo "$TEMPLATES" | grep -c .) templates"
for name in $TEMPLATES; do
    # tpch/order is the one template with a required parameter: order 7 exists at every scale
    same_answer "$name" "/queries/$name?_limit=10000$([[ $name == tpch/order ]] && echo '&orderkey=7')"
done

# streams through cursors, in each representation
same_answer "NDJSON stream of $single_counts line items" "/queries/verify/lineitems" application/x-ndjson
same_answer "CSV stream of line items" "/queries/verify/lineitems" text/csv
strip_elapsed() { sed -E 's/"elapsedMs":[0-9]+/"elapsedMs":_/' "$1" >"$1.stripped"; }
curl -fsS -m 120 -H 'Accept: text/event-stream' "$CITUS/queries/tpch/q03?_limit=200" -o "$WORK/answers/citus/sse" || true
curl -fsS -m 120 -H 'Accept: text/event-stream' "$SINGLE/queries/tpch/q03?_limit=200" -o "$WORK/answers/single/sse" || true
strip_elapsed "$WORK/answers/citus/sse"
strip_elapsed "$WORK/answers/single/sse"
check "SSE stream of q03 (200 rows): the same events on both, elapsedMs aside ($(grep -c '^event: *row' "$WORK/answers/citus/sse") rows)" \
    cmp -s "$WORK/answers/citus/sse.stripped" "$WORK/answers/single/sse.stripped"

# filters, sort, keyset pages, counts, grouping
same_answer "filter and sort" "/queries/tpch/q03?o_orderdate__lt=1995-03-10&_sort=-revenue,l_orderkey&_count=exact"
same_answer "first keyset page" "/queries/verify/lineitems?_limit=50&l_quantity__gte=45&_count=exact"
next=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["page"]["next"])' "$WORK/answers/citus/first_keyset_page" || echo none)
same_answer "second keyset page (after the first's cursor)" "/queries/verify/lineitems?_limit=50&l_quantity__gte=45&_after=$next"
same_answer "offset page" "/queries/tpch/q10?_limit=5&_offset=10"
same_answer "grouping and measures" "/queries/analysis/revenue-cube?_group=region,year&_measures=revenue,orders&_sort=region,year"

# explain: Citus' distributed plan, from the coordinator
curl -fsS "$CITUS/queries/tpch/q03?_explain=true" -o "$WORK/explain-q03.json" || true
check "explain of q03 on Citus shows a distributed plan ($(grep -o 'Citus [A-Za-z]*' "$WORK/explain-q03.json" | head -1))" \
    grep -q '"Custom Plan Provider" *: *"Citus' "$WORK/explain-q03.json"
curl -fsS "$CITUS/queries/tpch/order?orderkey=7&_explain=true" -o "$WORK/explain-order.json" || true
check "explain of one order by key on Citus: a router plan to a single shard" grep -q '"Task Count" *: *1' "$WORK/explain-order.json"

# metrics
curl -fsS "$CITUS/q/metrics" -o "$WORK/metrics.txt" || true
check "metrics count the answers served on Citus" grep -q 'quarry_query_seconds_count{.*template="tpch/q01"' "$WORK/metrics.txt"

# the read-only guard, as the workers see it
check "every shard query runs read-only on the workers ($(tr -d '\n' <<<"$(curl -fsS "$CITUS/queries/verify/read-only-on-workers" | head -c 200)"))" \
    bash -c "curl -fsS '$CITUS/queries/verify/read-only-on-workers' > '$WORK/read-only.json' && grep -q '\"read_only\":\"on\"' '$WORK/read-only.json' && ! grep -q '\"read_only\":\"off\"' '$WORK/read-only.json'"
check "a write on Citus fails through Quarry's sessions: the reader cannot write, and the session is read-only" \
    test "$(PGPASSWORD=$READER_PASSWORD psql -X -At -h 127.0.0.1 -p "$COORDINATOR_PORT" -U quarry_reader -d quarry -c "SHOW default_transaction_read_only")" = on

# the statement timeout, and a client that leaves: the statement is gone on the workers too
on_workers() { # how many statements of the slow scan run on the workers
    local total=0 port
    for port in "$WORKER1_PORT" "$WORKER2_PORT"; do
        total=$((total + $(value_on "$port" "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(%' AND pid <> pg_backend_pid()")))
    done
    echo "$total"
}
timeout_started=$(date +%s%N)
timeout_status=$(curl -sS -m 30 -o "$WORK/timeout.json" -w '%{http_code}' "$CITUS/queries/verify/slow-scan-timeout" || echo 000)
timeout_ms=$((($(date +%s%N) - timeout_started) / 1000000))
sleep 1
check "the template's 2 s timeout on Citus: $timeout_status in $timeout_ms ms, $(on_workers) statements left on the workers" \
    test "$timeout_status" = 504 -a "$timeout_ms" -lt 10000 -a "$(on_workers)" = 0
leaves() { # accept: a client asks for the slow scan and leaves after 3 s; running: its statements on the workers, gone: none 5 s later
    curl -sS -N -m 3 -H "Accept: $1" "$CITUS/queries/verify/slow-scan" -o /dev/null 2>/dev/null &
    CLIENT=$!
    sleep 2
    running=$(on_workers)
    wait "$CLIENT" 2>/dev/null || true
    gone=""
    for _ in $(seq 1 20); do
        [[ $(on_workers) == 0 ]] && { gone=yes; break; }
        sleep 0.25
    done
}
leaves application/x-ndjson
check "a client leaving a stream on Citus: $running statements ran on the workers, none 5 s later" test "$running" -gt 0 -a "$gone" = yes
leaves application/json
check "a client leaving a page on Citus: $running statements ran on the workers, none 5 s later" test "$running" -gt 0 -a "$gone" = yes
# the same under load: eight streams and pages whose clients leave and eight pages past their timeout, all at once
# (distinct filters, so that no two share an execution); a second after the last ended, nothing is left
rm -f "$WORK/timeouts-under-load.txt"
CLIENTS=()
for i in $(seq 1 8); do
    accept=application/x-ndjson
    ((i % 2)) || accept=application/json
    curl -sS -N -m 3 -H "Accept: $accept" "$CITUS/queries/verify/slow-scan?l_linenumber__lte=$i" -o /dev/null 2>/dev/null &
    CLIENTS+=($!)
    curl -sS -m 30 -o /dev/null -w '%{http_code}\n' "$CITUS/queries/verify/slow-scan-timeout?l_linenumber__lte=$i" >>"$WORK/timeouts-under-load.txt" 2>/dev/null &
    CLIENTS+=($!)
done
sleep 1.5
running=$(on_workers)
for client in "${CLIENTS[@]}"; do
    wait "$client" 2>/dev/null || true
done
sleep 1
left=$(on_workers)
check "under load on Citus (4 streams and 4 pages left, 8 pages timed out: $(sort "$WORK/timeouts-under-load.txt" | uniq -c | tr -s ' \n' ' ')): $running statements ran on the workers, $left a second after the last request ended" \
    test "$running" -gt 0 -a "$left" = 0 -a "$(grep -cv '^504$' "$WORK/timeouts-under-load.txt")" = 0

# a worker that is down: a 503 naming it, not a hang (q01 from lineitem's shards: its daily rollup is a
# reference table, which the coordinator holds too)
as_server "$PG_BIN/pg_ctl" -D "$DATA/worker2" -m fast -w stop >/dev/null
down_started=$(date +%s%N)
down_status=$(curl -sS -m 60 -o "$WORK/worker-down.json" -w '%{http_code}' "$CITUS/queries/tpch/q01?_rollup=off" || echo 000)
down_ms=$((($(date +%s%N) - down_started) / 1000000))
check "worker 2 down: $down_status in $down_ms ms, $(head -c 300 "$WORK/worker-down.json")" \
    bash -c "test '$down_status' = 503 && grep -q '127.0.0.1:$WORKER2_PORT' '$WORK/worker-down.json'"
as_server "$PG_BIN/pg_ctl" -D "$DATA/worker2" -l "$DATA/worker2.log" -w start >/dev/null
same_answer "q01 again once worker 2 is back" "/queries/tpch/q01"
