#!/usr/bin/env bash
# Proves, with the real programs on this machine (loopback only), that:
#   1. Prometheus scrapes Quarry with deploy/prometheus/prometheus.yml and sees quarry_query_seconds for
#      the templates that ran; the alert rules load, pass their unit tests (alerts-test.yml) and, with
#      every query of the Grafana dashboard, evaluate without error against the live data;
#   2. Quarry behind PgBouncer in transaction pooling mode answers exactly as Quarry on PostgreSQL
#      directly, under concurrent JSON pages and SSE/NDJSON/CSV streams;
#   3. with tenancy and row-level security on (deploy/sql/tpch-tenant-row-security.sql), behind the same
#      PgBouncer, the tenant setting Quarry makes in a query's transaction is seen by that transaction
#      only: not by another tenant's, not by a query without a tenant, not by a psql session handed the
#      same server connections, while both tenants' requests share them.
# Installs prometheus and pgbouncer (Debian packages) when missing and builds the jar when missing.
# Every process it starts is stopped on exit. Run it from anywhere: bash deploy/verify/prometheus-and-pgbouncer.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/verify"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

# loopback ports, each overridable from the environment
PG_PORT=${PG_PORT:-54361}            # the embedded PostgreSQL the direct Quarry starts
DIRECT_PORT=${DIRECT_PORT:-18380}    # Quarry on PostgreSQL
POOLED_PORT=${POOLED_PORT:-18381}    # Quarry on PgBouncer
TENANT_PORT=${TENANT_PORT:-18382}    # Quarry on PgBouncer, with tenancy and row-level security
BOUNCER_PORT=${BOUNCER_PORT:-16432}
PROM_PORT=${PROM_PORT:-19090}
CURSOR_SECRET=verify-only-cursor-secret   # the same for both, so SSE ids (signed cursors) compare equal
PARALLEL=${PARALLEL:-24}

STARTED=$(date +%s)
log() { printf '[verify %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

# ---- cleanup: every process started here, newest first, by its own id ----
PIDS=()
NAMES=()
cleanup() {
    local status=$?
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        local pid=${PIDS[$i]}
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            if kill -0 "$pid" 2>/dev/null; then
                log "${NAMES[$i]} (pid $pid) did not stop in 10 s: killing it"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        wait "$pid" 2>/dev/null || true
    done
    # the direct Quarry stops its embedded PostgreSQL on a normal shutdown; make sure of it
    local pidfile="$WORK/pg/postmaster.pid"
    if [[ -f $pidfile ]]; then
        local pg
        pg=$(head -1 "$pidfile")
        if kill -0 "$pg" 2>/dev/null; then
            log "stopping the embedded PostgreSQL (pid $pg) left running"
            kill -INT "$pg" 2>/dev/null || true
        fi
    fi
    if ((status == 0)); then
        log "PASS in $(($(date +%s) - STARTED)) s"
    else
        log "logs are in $WORK"
    fi
}
trap cleanup EXIT
started() { PIDS+=("$1"); NAMES+=("$2"); }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { # url seconds what [log]: the newest process started must stay alive meanwhile
    local deadline=$(($(date +%s) + $2)) pid=${PIDS[-1]}
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            [[ -n ${4:-} ]] && grep -E 'ERROR|FATAL|Exception' "$4" | head -5 | cut -c1-300
            fail "$3 exited before it answered $1"
        fi
        (($(date +%s) < deadline)) || fail "$3 did not answer $1 within $2 s"
        sleep 0.5
    done
}
wait_port() { # port seconds what
    local deadline=$(($(date +%s) + $2))
    while port_free "$1"; do
        (($(date +%s) < deadline)) || fail "$3 did not listen on 127.0.0.1:$1 within $2 s"
        sleep 0.2
    done
}

# ---- prerequisites ----
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null || ! command -v pgbouncer >/dev/null; then
    log "installing prometheus and pgbouncer (Debian packages)"
    SUDO=""
    ((EUID == 0)) || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus pgbouncer >/dev/null
fi
for tool in curl python3 java psql openssl; do command -v $tool >/dev/null || fail "$tool is needed"; done
if [[ ! -f $JAR ]]; then
    log "building the application (./mvnw package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
for port in $PG_PORT $DIRECT_PORT $POOLED_PORT $TENANT_PORT $BOUNCER_PORT $PROM_PORT; do
    port_free $port || fail "127.0.0.1:$port is taken (another run, or another program): set PG_PORT, DIRECT_PORT, POOLED_PORT, TENANT_PORT, BOUNCER_PORT or PROM_PORT"
done
mkdir -p "$WORK"
rm -rf "$WORK/prometheus" "$WORK/pgbouncer" "$WORK/answers" "$WORK/tenancy"
mkdir -p "$WORK/prometheus" "$WORK/pgbouncer" "$WORK/answers" "$WORK/tenancy"
log "prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}'), $(pgbouncer --version | head -1), $(java -version 2>&1 | head -1)"

# ---- 1. Quarry on its embedded PostgreSQL ----
log "starting Quarry on 127.0.0.1:$DIRECT_PORT (embedded PostgreSQL on $PG_PORT, data in target/verify/pg)"
QUARRY_CURSOR_SECRET=$CURSOR_SECRET java \
    -Dquarry.embedded.port=$PG_PORT -Dquarry.embedded.data-directory="$WORK/pg" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$DIRECT_PORT \
    -jar "$JAR" >"$WORK/quarry-direct.log" 2>&1 &
started $! "Quarry (direct)"
wait_http "http://127.0.0.1:$DIRECT_PORT/q/health/ready" 180 "Quarry (direct)" "$WORK/quarry-direct.log"
log "$(grep -o 'embedded PostgreSQL[^(]*' "$WORK/quarry-direct.log" | head -1)ready"

# ---- 2. Prometheus scraping it ----
# the same configuration and rules, with the compose target swapped for this machine's and a short interval
sed -e "s/quarry:8080/127.0.0.1:$DIRECT_PORT/" -e 's/scrape_interval: 15s/scrape_interval: 1s/' \
    -e 's/evaluation_interval: 15s/evaluation_interval: 1s/' \
    "$ROOT/deploy/prometheus/prometheus.yml" >"$WORK/prometheus/prometheus.yml"
cp "$ROOT/deploy/prometheus/alerts.yml" "$WORK/prometheus/alerts.yml"
grep -q "127.0.0.1:$DIRECT_PORT" "$WORK/prometheus/prometheus.yml" || fail "the scrape target was not rewritten"
log "promtool check config (the repository's file and the local copy), check rules, test rules"
promtool check config "$ROOT/deploy/prometheus/prometheus.yml" >"$WORK/promtool.log" 2>&1 || { cat "$WORK/promtool.log"; fail "promtool check config"; }
promtool check config "$WORK/prometheus/prometheus.yml" >>"$WORK/promtool.log" 2>&1 || { cat "$WORK/promtool.log"; fail "promtool check config (local copy)"; }
promtool check rules "$ROOT/deploy/prometheus/alerts.yml" >>"$WORK/promtool.log" 2>&1 || { cat "$WORK/promtool.log"; fail "promtool check rules"; }
promtool test rules "$ROOT/deploy/prometheus/alerts-test.yml" >>"$WORK/promtool.log" 2>&1 || { cat "$WORK/promtool.log"; fail "promtool test rules"; }
grep -E 'SUCCESS' "$WORK/promtool.log" | sed 's/^ */    /'

log "starting Prometheus on 127.0.0.1:$PROM_PORT"
prometheus --config.file="$WORK/prometheus/prometheus.yml" --storage.tsdb.path="$WORK/prometheus/data" \
    --web.listen-address=127.0.0.1:$PROM_PORT >"$WORK/prometheus.log" 2>&1 &
started $! "Prometheus"
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 "Prometheus"

log "requests to Quarry: tpch/q06 x5 (JSON), tpch/q03 (SSE), analysis/top-customers (NDJSON)"
for _ in 1 2 3 4 5; do
    curl -fsS -o /dev/null "http://127.0.0.1:$DIRECT_PORT/queries/tpch/q06"
done
curl -fsS -o /dev/null -H 'Accept: text/event-stream' "http://127.0.0.1:$DIRECT_PORT/queries/tpch/q03"
curl -fsS -o /dev/null -H 'Accept: application/x-ndjson' "http://127.0.0.1:$DIRECT_PORT/queries/analysis/top-customers"

promql() { # query -> the API's JSON on stdout
    curl -fsS -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"
}
QUERY='quarry_query_seconds_count{template="tpch/q06"}'
deadline=$(($(date +%s) + 30))
while :; do
    answer=$(promql "$QUERY")
    count=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1])["data"]["result"]; print(sum(float(s["value"][1]) for s in r) if r else 0)' "$answer")
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 5 else 1)' "$count" && break
    (($(date +%s) < deadline)) || fail "Prometheus has no quarry_query_seconds_count for tpch/q06 after 30 s: $answer"
    sleep 1
done
log "Prometheus: $QUERY = $count"
echo "    $answer" | cut -c1-300

log "every alert expression and dashboard query evaluates on the live data"
python3 - "$ROOT" "$PROM_PORT" <<'EOF'
import json, re, sys, urllib.parse, urllib.request
root, port = sys.argv[1], sys.argv[2]
exprs = []
# alerts.yml: the expr blocks (single line or literal block)
text = open(f"{root}/deploy/prometheus/alerts.yml").read()
for m in re.finditer(r"^( *)expr: *(\|)?(.*)\n((?:\1  .*\n)*)", text, re.M):
    exprs.append(("alert", (m.group(4) if m.group(2) else m.group(3)).strip()))
dashboard = json.load(open(f"{root}/deploy/grafana/dashboards/quarry.json"))
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        exprs.append((panel["title"], target["expr"].replace("$__rate_interval", "1m").replace("$template", ".*")))
with_data = 0
for where, expr in exprs:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        answer = json.load(urllib.request.urlopen(url))
    except urllib.error.HTTPError as e:
        sys.exit(f"    {where}: Prometheus rejected {expr!r}: {e.read().decode()}")
    if answer["status"] != "success":
        sys.exit(f"    {where}: {answer}")
    with_data += bool(answer["data"]["result"])
print(f"    {len(exprs)} expressions ({sum(1 for w, _ in exprs if w == 'alert')} alert rules), all accepted; {with_data} return series now")
EOF
rules=$(curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/rules" | python3 -c 'import json,sys; g=json.load(sys.stdin)["data"]["groups"]; print(sum(len(x["rules"]) for x in g), "rules loaded,", sum(1 for x in g for r in x["rules"] if r.get("health")=="ok"), "healthy")')
log "Prometheus /api/v1/rules: $rules"

# ---- 3. PgBouncer (transaction pooling) in front of the same PostgreSQL ----
cat >"$WORK/pgbouncer/pgbouncer.ini" <<EOF
[databases]
quarry = host=127.0.0.1 port=$PG_PORT dbname=quarry

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer/userlist.txt
admin_users = postgres
pool_mode = transaction
; fewer server connections than Quarry's pool (20) and the parallel requests: they must be shared
default_pool_size = 4
max_client_conn = 200
; the Vert.x client sends extra_float_digits=2, which PgBouncer refuses unless told to ignore it
ignore_startup_parameters = extra_float_digits
EOF
TENANT_ROLE=quarry_tenant_verify   # the role Quarry with tenancy connects as (section 4)
printf '"postgres" ""\n"%s" ""\n' "$TENANT_ROLE" >"$WORK/pgbouncer/userlist.txt"
BOUNCER=(pgbouncer)
((EUID == 0)) && BOUNCER=(pgbouncer -u postgres)   # it refuses to run as root
chmod a+rx "$WORK/pgbouncer"; chmod a+r "$WORK/pgbouncer/"*
log "starting PgBouncer on 127.0.0.1:$BOUNCER_PORT, pool_mode=transaction, default_pool_size=4 -> 127.0.0.1:$PG_PORT"
"${BOUNCER[@]}" "$WORK/pgbouncer/pgbouncer.ini" >"$WORK/pgbouncer.log" 2>&1 &
BOUNCER_PID=$!
started $BOUNCER_PID "PgBouncer"
wait_port $BOUNCER_PORT 20 "PgBouncer"

# Quarry through PgBouncer: the pooler settings of src/site/markdown/operations.md, as environment for `env`
THROUGH_BOUNCER=(QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$BOUNCER_PORT/quarry
    QUARKUS_DATASOURCE_USERNAME=postgres
    QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS=false
    QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY=true
    QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_PIPELINING_LIMIT=1
    QUARRY_CURSOR_SECRET=$CURSOR_SECRET)
POOLED_JAVA=(java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$POOLED_PORT -jar "$JAR")

# The default guard (session settings at login) cannot work through transaction pooling: Quarry must
# refuse to start rather than serve unguarded pages, whether PgBouncer refuses the settings or drops them
refused() { # what: Quarry with the session guard through PgBouncer must exit, its log naming QUARRY_QUERY_GUARD
    env "${THROUGH_BOUNCER[@]}" timeout 60 "${POOLED_JAVA[@]}" >"$WORK/quarry-refused.log" 2>&1 \
        && fail "Quarry started with quarry.query.guard=session through PgBouncer ($1)"
    grep -q "QUARRY_QUERY_GUARD=transaction" "$WORK/quarry-refused.log" \
        || { tail -20 "$WORK/quarry-refused.log"; fail "Quarry's refusal ($1) does not name QUARRY_QUERY_GUARD"; }
    log "  $1: refused to start: $(grep -o 'Cannot reach PostgreSQL.*\|quarry.query.guard is session.*' "$WORK/quarry-refused.log" | head -1 | cut -c1-150)..."
}
bouncer_ignores() { # PgBouncer rereads its file on SIGHUP
    sed -i "s/^ignore_startup_parameters = .*/ignore_startup_parameters = $1/" "$WORK/pgbouncer/pgbouncer.ini"
    kill -HUP "$BOUNCER_PID"
    sleep 1
}
log "Quarry with the default query guard through PgBouncer: it must refuse to start"
refused "PgBouncer refusing the startup parameters"
bouncer_ignores extra_float_digits,default_transaction_read_only,statement_timeout
refused "PgBouncer ignoring them"
bouncer_ignores extra_float_digits

# every request of a round at once, streams included: the stream bound (10 by default) would refuse
# most of them with 503, which is not what this run is about (LoadLimitsTest proves the bound)
log "starting Quarry on 127.0.0.1:$POOLED_PORT through PgBouncer (transaction guard, layer-7 proxy mode, pipelining 1, no statement cache)"
env "${THROUGH_BOUNCER[@]}" QUARRY_QUERY_GUARD=transaction QUARRY_STREAM_MAX_CONCURRENT=$PARALLEL \
    "${POOLED_JAVA[@]}" >"$WORK/quarry-pooled.log" 2>&1 &
started $! "Quarry (PgBouncer)"
wait_http "http://127.0.0.1:$POOLED_PORT/q/health/ready" 180 "Quarry (PgBouncer)" "$WORK/quarry-pooled.log"
grep -q "Connected to PostgreSQL .* at 127.0.0.1:$BOUNCER_PORT/quarry" "$WORK/quarry-pooled.log" \
    || fail "the second Quarry did not connect through PgBouncer (see $WORK/quarry-pooled.log)"
log "$(grep -o 'Connected to PostgreSQL .*' "$WORK/quarry-pooled.log"); $(grep -o '[0-9]* templates checked.*' "$WORK/quarry-pooled.log")"

# Each request: a name, the Accept header, the path. Answers from the direct Quarry are the reference.
REQUESTS=(
    "q03-json|application/json|/queries/tpch/q03"
    "q03-json-page2|application/json|/queries/tpch/q03?_limit=3&_offset=3"
    "q03-sse|text/event-stream|/queries/tpch/q03"
    "q03-csv|text/csv|/queries/tpch/q03"
    "top-customers-json|application/json|/queries/analysis/top-customers"
    "top-customers-sse|text/event-stream|/queries/analysis/top-customers"
    "top-customers-ndjson|application/x-ndjson|/queries/analysis/top-customers"
    "q06-json|application/json|/queries/tpch/q06"
    # about 13,000 rows: the cursor is fetched 500 rows at a time, all in the stream's one transaction
    "cube-ndjson|application/x-ndjson|/queries/analysis/revenue-cube?_group=nation,year,month,ship_mode&_sort=nation,year,month,ship_mode"
)
fetch() { # port accept path out -> writes the body to out and prints the status
    curl -sS -o "$4" -w '%{http_code}' -H "Accept: $2" "http://127.0.0.1:$1$3"
}
for request in "${REQUESTS[@]}"; do
    IFS='|' read -r name accept path <<<"$request"
    status=$(fetch $DIRECT_PORT "$accept" "$path" "$WORK/answers/$name.direct")
    [[ $status == 200 ]] || fail "direct $name: HTTP $status $(head -c 300 "$WORK/answers/$name.direct")"
    [[ -s $WORK/answers/$name.direct ]] || fail "direct $name: empty body"
done

log "$PARALLEL requests at once through PgBouncer, three rounds (${#REQUESTS[@]} kinds: JSON pages, SSE, NDJSON, CSV)"
# What depends on timing, not on the answer: SSE heartbeat comments and the end event's elapsedMs.
normalized() { grep -v '^:' "$1" | sed -E 's/"elapsedMs":[0-9]+/"elapsedMs":_/g'; }
compare() { # name file
    cmp -s <(normalized "$WORK/answers/$1.direct") <(normalized "$2")
}
total=0
for round in 1 2 3; do
    jobs_pids=()
    for ((i = 0; i < PARALLEL; i++)); do
        request=${REQUESTS[$((i % ${#REQUESTS[@]}))]}
        IFS='|' read -r name accept path <<<"$request"
        out="$WORK/answers/$name.pooled.$round.$i"
        (status=$(fetch $POOLED_PORT "$accept" "$path" "$out"); echo "$status" >"$out.status") &
        jobs_pids+=($!)
    done
    for pid in "${jobs_pids[@]}"; do wait "$pid"; done
    for ((i = 0; i < PARALLEL; i++)); do
        request=${REQUESTS[$((i % ${#REQUESTS[@]}))]}
        IFS='|' read -r name accept path <<<"$request"
        out="$WORK/answers/$name.pooled.$round.$i"
        status=$(cat "$out.status")
        [[ $status == 200 ]] || fail "through PgBouncer, $name (round $round, #$i): HTTP $status $(head -c 400 "$out")"
        compare "$name" "$out" || { diff <(normalized "$WORK/answers/$name.direct") <(normalized "$out") | head -20 | cut -c1-300; fail "through PgBouncer, $name differs from the direct answer"; }
        total=$((total + 1))
    done
done
log "$total answers through PgBouncer: all HTTP 200 and equal to the direct Quarry's, byte for byte but for elapsedMs and SSE heartbeats"
for request in "${REQUESTS[@]}"; do
    IFS='|' read -r name _ _ <<<"$request"
    printf '    %-22s %7d bytes\n' "$name" "$(wc -c <"$WORK/answers/$name.direct")"
done

# The traffic really went through PgBouncer, sharing its 4 server connections.
if command -v psql >/dev/null; then
    log "PgBouncer SHOW POOLS / SHOW STATS (database quarry)"
    psql -h 127.0.0.1 -p $BOUNCER_PORT -U postgres -d pgbouncer -X -A -F ' ' -c 'SHOW POOLS' 2>/dev/null \
        | awk 'NR==1 || $1=="quarry"' | sed 's/^/    /'
    psql -h 127.0.0.1 -p $BOUNCER_PORT -U postgres -d pgbouncer -X -A -F ' ' -c 'SHOW STATS' 2>/dev/null \
        | awk 'NR==1 || $1=="quarry"' | cut -d' ' -f1-5 | sed 's/^/    /'
fi
errors=$(grep -c -E ' ERROR ' "$WORK/quarry-pooled.log" || true)
log "the PgBouncer Quarry logged $errors ERROR lines"
grep -E ' ERROR ' "$WORK/quarry-pooled.log" | head -5 | cut -c1-300 || true

# ---- 4. Tenancy with row-level security through the same PgBouncer ----
# The policies read the transaction-local setting quarry.tenant; Quarry connects as a role they bind.
# Probe templates show what each transaction sees: the tenant it was bound to beside the setting, or
# (without a tenant) the setting alone, and the server session that ran it (pg_backend_pid).
PSQL_DIRECT=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PG_PORT -U postgres -d quarry)
log "row-level security: deploy/sql/tpch-tenant-row-security.sql and the role $TENANT_ROLE (no superuser, no BYPASSRLS)"
"${PSQL_DIRECT[@]}" -c "DROP OWNED BY $TENANT_ROLE" -c "DROP ROLE $TENANT_ROLE" >/dev/null 2>&1 || true
"${PSQL_DIRECT[@]}" -c "CREATE ROLE $TENANT_ROLE LOGIN NOSUPERUSER NOBYPASSRLS" -c "GRANT USAGE ON SCHEMA public TO $TENANT_ROLE" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO $TENANT_ROLE"
"${PSQL_DIRECT[@]}" -f "$ROOT/deploy/sql/tpch-tenant-row-security.sql"
mkdir -p "$WORK/tenancy/templates/verify"
cat >"$WORK/tenancy/templates/verify/tenant-setting.sql" <<'SQL'
-- The tenant this transaction is bound to, the tenant setting it sees, and the server session it ran on
SELECT :tenant::int AS bound, nullif(current_setting('quarry.tenant', true), '') AS setting, pg_backend_pid() AS backend
SQL
cat >"$WORK/tenancy/templates/verify/no-tenant-setting.sql" <<'SQL'
-- The tenant setting a query without a tenant sees, and the server session it ran on
SELECT nullif(current_setting('quarry.tenant', true), '') AS setting, pg_backend_pid() AS backend
SQL
# shellcheck source=src/test/bench/jwt-tools.sh
source "$ROOT/src/test/bench/jwt-tools.sh"
jwt_keys "$WORK/tenancy"
ISSUER=quarry-verify
declare -A TOKEN
for tenant in 7 8; do TOKEN[$tenant]=$(jwt_token "$WORK/tenancy" "$ISSUER" "\"nation\":$tenant"); done
TOKEN[-]=$(jwt_token "$WORK/tenancy" "$ISSUER" '"groups":[]')   # a valid token without a tenant
log "starting Quarry on 127.0.0.1:$TENANT_PORT through PgBouncer as $TENANT_ROLE: tenancy on, quarry.tenant.row-security.setting=quarry.tenant"
# streams hold one of PgBouncer's 4 server sessions each for their whole transaction: requests wait for
# them longer than the default 5 s on a busy machine, which this run is not about
env "${THROUGH_BOUNCER[@]}" QUARKUS_DATASOURCE_USERNAME=$TENANT_ROLE QUARRY_QUERY_GUARD=transaction QUARRY_STREAM_MAX_CONCURRENT=$PARALLEL \
    QUARRY_POOL_WAIT_TIMEOUT=120s \
    QUARRY_AUTH_ENABLED=true MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/tenancy/jwt-public.pem" MP_JWT_VERIFY_ISSUER=$ISSUER \
    QUARRY_TENANT_CLAIM=nation QUARRY_TENANT_CLAIM_TYPE=int \
    QUARRY_TENANT_TABLES=customer.c_nationkey,orders.o_custkey=customer.c_custkey,lineitem.l_orderkey=orders.o_orderkey \
    QUARRY_TENANT_ROW_SECURITY_SETTING=quarry.tenant QUARRY_TEMPLATES_ON_ERROR=mark-broken \
    QUARRY_TEMPLATES_DIRECTORY="$WORK/tenancy/templates" \
    java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$TENANT_PORT -jar "$JAR" >"$WORK/quarry-tenancy.log" 2>&1 &
started $! "Quarry (tenancy, PgBouncer)"
wait_http "http://127.0.0.1:$TENANT_PORT/q/health/ready" 180 "Quarry (tenancy, PgBouncer)" "$WORK/quarry-tenancy.log"

# what each tenant owns, as the superuser reads it directly
declare -A ORDERS
for tenant in 7 8; do
    ORDERS[$tenant]=$("${PSQL_DIRECT[@]}" -A -t -c "SELECT count(*) FROM orders JOIN customer ON c_custkey = o_custkey WHERE c_nationkey = $tenant")
done
TENANT_REQUESTS=(
    "7|application/json|/queries/verify/tenant-setting"
    "8|application/json|/queries/verify/tenant-setting"
    "-|application/json|/queries/verify/no-tenant-setting"
    "7|application/x-ndjson|/queries/tenant/orders"
    "8|application/x-ndjson|/queries/tenant/orders"
    "7|application/json|/queries/tenant/sales?_group=status&_measures=lines"
    "8|text/csv|/queries/tenant/orders"
)
checked=0
: >"$WORK/tenancy/backends.txt"
for round in 1 2 3 4 5; do
    jobs_pids=()
    for ((i = 0; i < PARALLEL; i++)); do
        IFS='|' read -r tenant accept path <<<"${TENANT_REQUESTS[$((i % ${#TENANT_REQUESTS[@]}))]}"
        out="$WORK/tenancy/$round.$i"
        (curl -sS -o "$out" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[$tenant]}" -H "Accept: $accept" \
            "http://127.0.0.1:$TENANT_PORT$path" >"$out.status") &
        jobs_pids+=($!)
    done
    # meanwhile, psql sessions through PgBouncer as the same role: handed the server connections Quarry's
    # transactions use, they must see no tenant setting, hence no tenant's rows
    for _ in 1 2 3 4; do
        seen=$(psql -X -A -t -h 127.0.0.1 -p $BOUNCER_PORT -U $TENANT_ROLE -d quarry \
            -c "SELECT coalesce(nullif(current_setting('quarry.tenant', true), ''), 'none') || ' ' || (SELECT count(*) FROM orders)")
        [[ $seen == "none 0" ]] || fail "a psql session through PgBouncer saw the tenant setting or a tenant's rows: $seen"
    done
    for pid in "${jobs_pids[@]}"; do wait "$pid"; done
    for ((i = 0; i < PARALLEL; i++)); do
        IFS='|' read -r tenant accept path <<<"${TENANT_REQUESTS[$((i % ${#TENANT_REQUESTS[@]}))]}"
        out="$WORK/tenancy/$round.$i"
        [[ $(cat "$out.status") == 200 ]] || fail "tenant $tenant, $path: HTTP $(cat "$out.status") $(head -c 300 "$out")"
        python3 - "$tenant" "$accept" "$path" "$out" "${ORDERS[7]}" "${ORDERS[8]}" >>"$WORK/tenancy/backends.txt" <<'PY' \
            || fail "tenant $tenant, $path: see above"
import csv, json, sys
tenant, accept, path, out, orders7, orders8 = sys.argv[1:]
body = open(out).read()
expected = {"7": int(orders7), "8": int(orders8)}
def bad(why):
    sys.exit(f"    tenant {tenant}, {path}: {why}")
if path.endswith("/tenant-setting"):
    row = json.loads(body)["rows"][0]
    if str(row["bound"]) != tenant or row["setting"] != tenant:
        bad(f"bound to {row['bound']} but the transaction saw the setting {row['setting']!r}")
    print(tenant, row["backend"])
elif path.endswith("/no-tenant-setting"):
    row = json.loads(body)["rows"][0]
    if row["setting"] is not None:
        bad(f"a query without a tenant saw the setting {row['setting']!r}")
    print("-", row["backend"])
elif accept in ("application/x-ndjson", "text/csv"):
    rows = [json.loads(line) for line in body.splitlines()] if accept == "application/x-ndjson" else list(csv.DictReader(body.splitlines()))
    nations = {str(r["c_nationkey"]) for r in rows}
    if nations - {tenant} or len(rows) != expected[tenant]:
        bad(f"{len(rows)} rows of nations {sorted(nations)}; the database says {expected[tenant]} of {tenant}")
elif sum(r["lines"] for r in json.loads(body)["rows"]) <= 0:
    bad("no line items")
PY
        checked=$((checked + 1))
    done
done
read -r backends mixed < <(python3 - "$WORK/tenancy/backends.txt" <<'PY'
import sys
by = {}
for line in open(sys.argv[1]):
    who, backend = line.split()
    by.setdefault(backend, set()).add(who)
print(len(by), sum(1 for whos in by.values() if len(whos) > 1))
PY
)
((mixed > 0)) || fail "no server session ran the probes of more than one tenant: the run did not share PgBouncer's connections"
log "$checked tenancy answers through PgBouncer, each its own tenant's: every probe saw its own tenant's setting, queries" \
    "without a tenant and psql sessions none; $backends server sessions ran the probes, $mixed of them for different tenants"
"${PSQL_DIRECT[@]}" -c "DROP POLICY tenant ON customer" -c "DROP POLICY tenant ON orders" -c "DROP POLICY tenant ON lineitem" \
    -c "ALTER TABLE customer DISABLE ROW LEVEL SECURITY" -c "ALTER TABLE orders DISABLE ROW LEVEL SECURITY" \
    -c "ALTER TABLE lineitem DISABLE ROW LEVEL SECURITY" -c "DROP FUNCTION quarry_tenant()" \
    -c "DROP OWNED BY $TENANT_ROLE" -c "DROP ROLE $TENANT_ROLE"
