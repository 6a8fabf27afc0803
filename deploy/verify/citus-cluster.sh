# A Citus coordinator with two workers and one plain PostgreSQL 15 on loopback, and Quarry on each:
# the setup that deploy/verify/citus.sh and src/test/bench/citus-benchmark.sh share. Sourced, not run.
#
# The caller defines log and fatal (one message each), and sets:
#   ROOT          the repository
#   WORK          where logs, load logs and extra templates go (WORK/templates, QUARRY_TEMPLATES_DIRECTORY)
#   DATA          the directory holding one data directory per node (coordinator, worker1, worker2, single)
#   COORDINATOR_PORT WORKER1_PORT WORKER2_PORT SINGLE_PORT   the servers' loopback ports
# and may set CITUS_SOURCE (a Citus source tarball, default ../shared/citus beside the repository) and
# SERVER_USER (the OS user the servers run as when the caller is root, default postgres).
# citus_install sets PG_BIN; a temporary build directory is in BUILD until the caller removes it;
# start_quarry adds each Quarry's process id to PIDS.

PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
CITUS_SOURCE=${CITUS_SOURCE:-$ROOT/../shared/citus/citus-13.2.2-src-min.tar.gz}
SERVER_USER=${SERVER_USER:-postgres}
READER_PASSWORD=verify-only-reader-password
CURSOR_SECRET=verify-only-cursor-secret # the same for both Quarries, so cursors compare equal
NODES=(coordinator worker1 worker2 single)
PIDS=()
BUILD=""

as_server() { if ((EUID == 0)); then runuser -u "$SERVER_USER" -- "$@"; else "$@"; fi; }

# PostgreSQL 15 and the build tools from Debian's packages when missing, and Citus built from
# CITUS_SOURCE unless that very source is already built and installed for this PostgreSQL
citus_install() {
    local needed=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR build-essential libkrb5-dev libssl-dev liblz4-dev libzstd-dev curl python3)
    local missing=() package
    for package in "${needed[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    if ((${#missing[@]} > 0)); then
        ((EUID == 0)) || fatal "install ${missing[*]} (apt-get, as root) first"
        log "installing ${missing[*]}"
        mkdir -p "$ROOT/target"
        apt-get update -qq >"$ROOT/target/apt.log" 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$ROOT/target/apt.log" 2>&1 \
            || fatal "apt-get install ${missing[*]} (see target/apt.log)"
    fi
    [[ -f $CITUS_SOURCE ]] || fatal "no Citus source at $CITUS_SOURCE: set CITUS_SOURCE to a Citus source tarball"
    # a build is reused when it came from this very source and these PostgreSQL headers
    local stamp wanted
    stamp="$($PG_CONFIG --pkglibdir)/citus.so.source"
    wanted="$(sha256sum "$CITUS_SOURCE" | cut -d' ' -f1) $($PG_CONFIG --version)"
    if [[ -f "$($PG_CONFIG --pkglibdir)/citus.so" && -f $stamp && "$(cat "$stamp")" == "$wanted" ]]; then
        log "Citus from $(basename "$CITUS_SOURCE") is already built for $($PG_CONFIG --version): reusing it"
        return
    fi
    ((EUID == 0)) || fatal "building Citus installs into $($PG_CONFIG --pkglibdir): run as root"
    BUILD=$(mktemp -d)
    log "building Citus from $(basename "$CITUS_SOURCE") for $($PG_CONFIG --version) (a few minutes)"
    local build_started source_dir build_log=$WORK.build.log
    build_started=$(date +%s)
    tar -xzf "$CITUS_SOURCE" -C "$BUILD"
    source_dir=$(find "$BUILD" -mindepth 1 -maxdepth 1 -type d | head -1)
    # PostgreSQL 15.20 and later export have_createdb_privilege(), which Citus 13.2.2 still defines
    # for 15 as a static function of its own: keep the server's.
    if grep -q 'extern bool have_createdb_privilege' "$($PG_CONFIG --includedir-server)/commands/dbcommands.h"; then
        perl -0pi -e 's/static inline bool\nhave_createdb_privilege\(void\)\n\{.*?\n\}\n//s' "$source_dir/src/include/pg_version_compat.h"
    fi
    (cd "$source_dir" && ./configure --without-libcurl PG_CONFIG="$PG_CONFIG" >"$build_log" 2>&1 \
        && make -j2 with_llvm=no >>"$build_log" 2>&1 && make install with_llvm=no >>"$build_log" 2>&1) \
        || { tail -20 "$build_log"; fatal "building Citus (see $build_log)"; }
    echo "$wanted" >"$stamp"
    log "built and installed Citus in $(($(date +%s) - build_started)) s"
}

quarry_jar() {
    [[ -f $JAR ]] && return
    log "building Quarry ($JAR is missing)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests) || fatal "./mvnw package"
}

node_port() { # node name: its port
    case $1 in
        coordinator) echo "$COORDINATOR_PORT" ;;
        worker1) echo "$WORKER1_PORT" ;;
        worker2) echo "$WORKER2_PORT" ;;
        single) echo "$SINGLE_PORT" ;;
    esac
}

init_server() { # name preload: a new data directory in DATA/name
    as_server "$PG_BIN/initdb" -D "$DATA/$1" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DATA/$1.initdb.log" 2>&1 \
        || fatal "initdb $1"
    # fsync off: a throw-away cluster for a test or a benchmark, never for data anyone keeps
    cat >>"$DATA/$1/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $(node_port "$1")
unix_socket_directories = '$DATA'
shared_preload_libraries = '$2'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_connections = 200
EOF
    [[ -n $2 ]] && echo "citus.enable_statistics_collection = off" >>"$DATA/$1/postgresql.conf"
    return 0
}

start_server() { # name
    as_server "$PG_BIN/pg_ctl" -D "$DATA/$1" -l "$DATA/$1.log" -w start >/dev/null || { tail -5 "$DATA/$1.log"; fatal "start $1"; }
}

stop_servers() { # pg_ctl's shutdown mode: every node of DATA that runs
    local node
    for node in "${NODES[@]}"; do
        [[ -f $DATA/$node/postmaster.pid ]] && as_server "$PG_BIN/pg_ctl" -D "$DATA/$node" -m "$1" -w stop >/dev/null 2>&1 || true
    done
}

psql_on() { # port, then psql arguments: as the superuser, in database quarry
    local port=$1
    shift
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d quarry "$@"
}
value_on() { psql_on "$1" -At -c "$2"; }

# four new servers in DATA, database quarry on each, the citus extension on the coordinator and the
# workers; the workers are not added yet (add_workers)
create_cluster() {
    mkdir -p "$DATA"
    chmod 755 "$DATA"
    ((EUID == 0)) && chown "$SERVER_USER" "$DATA"
    log "starting a new Citus coordinator ($COORDINATOR_PORT), two workers ($WORKER1_PORT, $WORKER2_PORT) and a plain PostgreSQL ($SINGLE_PORT)"
    local node port
    for node in coordinator worker1 worker2; do init_server "$node" citus && start_server "$node"; done
    init_server single "" && start_server single
    for node in "${NODES[@]}"; do
        port=$(node_port "$node")
        psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE quarry" || fatal "CREATE DATABASE on $port"
    done
    for port in "$COORDINATOR_PORT" "$WORKER1_PORT" "$WORKER2_PORT"; do
        psql_on "$port" -c "CREATE EXTENSION citus" || fatal "CREATE EXTENSION citus on $port"
    done
    psql_on "$COORDINATOR_PORT" -c "SELECT citus_set_coordinator_host('127.0.0.1', $COORDINATOR_PORT)" >/dev/null
}

start_cluster() { # the four servers of an existing DATA
    log "starting the Citus coordinator ($COORDINATOR_PORT), two workers ($WORKER1_PORT, $WORKER2_PORT) and the plain PostgreSQL ($SINGLE_PORT) of $DATA"
    local node
    for node in "${NODES[@]}"; do
        # one left running by a run that was killed is the same server: keep it
        as_server "$PG_BIN/pg_ctl" -D "$DATA/$node" status >/dev/null 2>&1 || start_server "$node"
    done
}

add_workers() {
    psql_on "$COORDINATOR_PORT" -c "SELECT citus_add_node('127.0.0.1', $WORKER1_PORT)" -c "SELECT citus_add_node('127.0.0.1', $WORKER2_PORT)" >/dev/null
}

# the reader role Quarry serves with, created before the load so that the load's tables grant it SELECT
create_reader_role() {
    local port
    for port in "$COORDINATOR_PORT" "$SINGLE_PORT"; do
        psql_on "$port" -v reader=quarry_reader -v reader_password="$READER_PASSWORD" -v writer=postgres -v database=quarry \
            -f "$ROOT/deploy/sql/quarry-reader-role.sql" >/dev/null || fatal "deploy/sql/quarry-reader-role.sql on $port"
    done
}

load_into() { # port, then load arguments; output in $WORK/load-<port>.log
    local port=$1
    shift
    QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$port/quarry QUARKUS_DATASOURCE_USERNAME=postgres \
        QUARKUS_DATASOURCE_PASSWORD=unused java -jar "$JAR" load "$@" >"$WORK/load-$port.log" 2>&1
}

start_quarry() { # port http-port log, then java options: Quarry as the reader role, in the background
    local port=$1 http_port=$2 quarry_log=$3
    shift 3
    QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$port/quarry QUARKUS_DATASOURCE_USERNAME=quarry_reader \
        QUARKUS_DATASOURCE_PASSWORD=$READER_PASSWORD QUARRY_CURSOR_SECRET=$CURSOR_SECRET \
        QUARRY_TEMPLATES_DIRECTORY="$WORK/templates" QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=8 QUARRY_DATABASE_CONNECT_TIMEOUT=60s \
        java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" "$@" -jar "$JAR" >"$quarry_log" 2>&1 &
    PIDS+=($!)
}

wait_ready() { # http-port log
    local deadline=$(($(date +%s) + 300))
    until curl -fsS -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null; do
        if ! kill -0 "${PIDS[-1]}" 2>/dev/null && ! kill -0 "${PIDS[0]}" 2>/dev/null; then break; fi
        (($(date +%s) < deadline)) || break
        sleep 0.5
    done
    curl -fsS -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null || {
        grep -E 'ERROR|FATAL' "$2" | head -5 | cut -c1-400 || true
        fatal "Quarry on $1 did not get ready (see $2)"
    }
}

stop_quarries() { # every Quarry start_quarry started, by its own process id
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
