# Sourced by the benchmark scripts: their log lines, and the tools they need (wrk, pgbench and psql
# installed with apt-get when missing, by need_tools).

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

need_tools() { # tool...: installs the ones Debian packages and checks every one
    local missing=()
    command -v wrk > /dev/null || missing+=(wrk)
    command -v pgbench > /dev/null || missing+=(postgresql-contrib)
    command -v psql > /dev/null || missing+=(postgresql-client)
    if ((${#missing[@]})); then
        local sudo=
        ((EUID == 0)) || sudo=sudo
        log "installing ${missing[*]} with apt-get"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
    fi
    check_tools "$@"
}

check_tools() { # tool...: stops the script at the first one missing
    local tool
    for tool in "$@"; do
        command -v "$tool" > /dev/null || die "$tool is needed"
    done
}

# The Quarry a benchmark started (its pid in QPID), stopped: TERM, then KILL after 30 s.
QPID=
stop_quarry() {
    if [[ -n $QPID ]] && kill -0 "$QPID" 2> /dev/null; then
        kill "$QPID" 2> /dev/null || true
        for _ in $(seq 60); do kill -0 "$QPID" 2> /dev/null || break; sleep 0.5; done
        kill -9 "$QPID" 2> /dev/null || true
    fi
    QPID=
}

# On exit: Quarry stopped, and the embedded PostgreSQL under $OUT/postgres that it started.
cleanup() {
    local pidfile=$OUT/postgres/postmaster.pid pm
    stop_quarry
    if [[ -f $pidfile ]]; then
        pm=$(head -1 "$pidfile")
        if [[ -n $pm ]] && kill -0 "$pm" 2> /dev/null; then
            kill -INT "$pm" 2> /dev/null || true
        fi
    fi
}

# Before each measurement: the 1-minute load under MAX_LOAD, waited for up to 10 minutes; measurements
# started above it anyway are counted in LOADED_ANYWAY, for the results' last line.
LOADED_ANYWAY=0
await_quiet() {
    for _ in $(seq 120); do
        awk -v max="$MAX_LOAD" '{exit !($1 < max)}' /proc/loadavg && return
        sleep 5
    done
    log "the 1-minute load stayed above $MAX_LOAD for 10 minutes: measuring anyway"
    LOADED_ANYWAY=$((LOADED_ANYWAY + 1))
}

to_ms() { # wrk's 1.23ms / 456.00us / 1.02s
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}
