#!/usr/bin/env bash
# Streaming and latency benchmark (src/site/markdown/benchmarks/streaming.md).
# A benchmark, not a timed test: run it by hand,
# on a machine that is otherwise quiet, from anywhere:
#
#   src/test/bench/stream-benchmark.sh
#
# It builds the jar if it is missing, loads TPC-H scale 1 into its own embedded PostgreSQL under
# target/bench/postgres (once: a rerun finds it there), starts Quarry with -Xmx64m on loopback, and
# reports in one table, all measured in this run:
#   1. rows/s of streaming every lineitem row (6,001,215) as NDJSON, SSE, CSV and Arrow from Quarry,
#      beside psql's COPY (same statement) TO STDOUT as text, as binary (FORMAT binary) and COPY of
#      row_to_json of it (PostgreSQL's own JSON, one object a line), in turn in each run; the row
#      counts are checked once per format (Arrow's with apache-arrow under Node, installed with npm
#      into target/bench/arrow-reader; COPY binary's is not counted);
#   2. Quarry's RSS every 0.5 s during each stream, its peak RSS (VmHWM) and its heap (jstat, jcmd);
#   3. the median latency of every tpch/qNN and analysis/* template (JSON page, default parameters)
#      beside PostgreSQL's execution time of the same statement with the same values.
# Before every measurement it waits for the 1-minute load average to fall under BENCH_MAX_LOAD
# (polling every 20 s, at most BENCH_QUIET_WAIT seconds, then it measures anyway and says so; once
# BENCH_QUIET_BUDGET seconds were spent waiting in all, it stops waiting). A template's Quarry and
# PostgreSQL runs are one measurement: they run back to back, under the same conditions.
#
# Settings (environment): BENCH_STREAM_RUNS (3), BENCH_LATENCY_RUNS (5), BENCH_FORMATS ("ndjson sse
# csv arrow"), BENCH_TEMPLATES (a regex over template names, default ^(tpch/q[0-9]+|analysis/)),
# BENCH_FETCH_SIZE (quarry.stream.fetch-size; the service default when unset), BENCH_MAX_LOAD (1.5),
# BENCH_QUIET_WAIT (600), BENCH_PG_PORT (54371), BENCH_HTTP_PORT (18081), BENCH_SKIP_LATENCY=1,
# BENCH_SKIP_STREAM=1, BENCH_SKIP_LOAD=1, BENCH_CHECK_COUNTS=0 (no untimed stream per format first), BENCH_STREAM_TIMEOUT
# (1800 s), BENCH_JAR (the jar under test), BENCH_BASE_JAR (another quarry-run.jar: started beside Quarry, -Xmx64m, on the
# same database and port HTTP port + 1, and its BENCH_BASE_FORMATS ("ndjson") streams measured in the
# same rotation as base-FORMAT: before/after a change; BENCH_BASE_OPTS: its extra java options, so the
# base may also be this jar with another setting), BENCH_JFR=1 (after the timed runs, one NDJSON and one SSE stream under JFR and
# their hottest frames). Everything it writes is under target/bench (results.txt is the table).
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
OUT=$ROOT/target/bench
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_PORT=${BENCH_PG_PORT:-54371}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
STREAM_RUNS=${BENCH_STREAM_RUNS:-3}
LATENCY_RUNS=${BENCH_LATENCY_RUNS:-5}
FORMATS=${BENCH_FORMATS:-ndjson sse csv arrow}
TEMPLATES=${BENCH_TEMPLATES:-^(tpch/q[0-9]+|analysis/)}
MAX_LOAD=${BENCH_MAX_LOAD:-1.5}
QUIET_WAIT=${BENCH_QUIET_WAIT:-600}
QUIET_BUDGET=${BENCH_QUIET_BUDGET:-3600}
STREAM_TIMEOUT=${BENCH_STREAM_TIMEOUT:-1800} # seconds: a stream that stalls fails the run instead of hanging it
SCALE=1
BASE=http://127.0.0.1:$HTTP_PORT
BASE_JAR=${BENCH_BASE_JAR:-}
BASE_URL=http://127.0.0.1:$((HTTP_PORT + 1))
PROPS=(-Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$OUT/postgres"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT"
    -Dquarry.templates.directory="$ROOT/src/test/bench/templates")
if [[ -n ${BENCH_FETCH_SIZE:-} ]]; then
    PROPS+=(-Dquarry.stream.fetch-size="$BENCH_FETCH_SIZE")
fi
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d quarry)
mkdir -p "$OUT"
RESULTS=$OUT/results.txt

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
now() { date +%s.%N; }

check_tools java curl psql jq jcmd jstat awk stdbuf

# ---- every process this script starts is ended by this trap ------------------------------------

QPID=
BASE_QPID=
POSTMASTER_BEFORE=
BACKGROUND=()
cleanup() {
    local pid
    for pid in "${BACKGROUND[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
    if [[ -n $QPID ]] && kill -0 "$QPID" 2> /dev/null; then
        log "stopping Quarry ($QPID)"
        kill "$QPID" 2> /dev/null || true
        for _ in $(seq 60); do kill -0 "$QPID" 2> /dev/null || break; sleep 0.5; done
        kill -9 "$QPID" 2> /dev/null || true
    fi
    if [[ -n $BASE_QPID ]]; then
        kill "$BASE_QPID" 2> /dev/null || true
        wait "$BASE_QPID" 2> /dev/null || true
    fi
    # Quarry stops the embedded server it started; if it could not, stop that postmaster here
    local pidfile=$OUT/postgres/postmaster.pid pm
    if [[ -z $POSTMASTER_BEFORE && -f $pidfile ]]; then
        pm=$(head -1 "$pidfile")
        if [[ -n $pm ]] && kill -0 "$pm" 2> /dev/null; then
            log "stopping the embedded PostgreSQL ($pm)"
            kill -INT "$pm" 2> /dev/null || true
        fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- quiet machine -----------------------------------------------------------------------------

MEASUREMENTS=0
NOISY=0
WAITED_IN_ALL=0
MAX_SEEN_LOAD=0
wait_quiet() {
    local waited=0 load
    while :; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        if awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN {exit !(l < m)}'; then
            break
        fi
        if ((waited >= QUIET_WAIT || WAITED_IN_ALL >= QUIET_BUDGET)); then
            NOISY=$((NOISY + 1))
            log "1-minute load $load is still >= $MAX_LOAD after ${waited}s: measuring anyway"
            break
        fi
        ((waited == 0)) && log "waiting for the 1-minute load ($load) to fall under $MAX_LOAD"
        sleep 20
        waited=$((waited + 20))
        WAITED_IN_ALL=$((WAITED_IN_ALL + 20))
    done
    MEASUREMENTS=$((MEASUREMENTS + 1))
    MAX_SEEN_LOAD=$(awk -v a="$MAX_SEEN_LOAD" -v b="$load" 'BEGIN {print (b > a ? b : a)}')
}

# CPU seconds (user + system) of a process, and of the children of a process (the postmaster's
# backends): the live ones, and those that ended and were waited for (psql's backend for COPY)
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2> /dev/null || echo 0; }
cpu_of_children() {
    local total child
    total=$(awk -v hz="$(getconf CLK_TCK)" '{print ($16 + $17) / hz}' "/proc/$1/stat" 2> /dev/null || echo 0)
    for child in $(pgrep -P "$1" || true); do
        total=$(awk -v a="$total" -v b="$(cpu_of "$child")" 'BEGIN {print a + b}')
    done
    echo "$total"
}

# ---- build, load, start ------------------------------------------------------------------------

if [[ ! -f $JAR ]]; then
    log "building the jar"
    ./mvnw -q -B -DskipTests package
fi
if [[ -f $OUT/postgres/postmaster.pid ]] && kill -0 "$(head -1 "$OUT/postgres/postmaster.pid")" 2> /dev/null; then
    POSTMASTER_BEFORE=$(head -1 "$OUT/postgres/postmaster.pid")
    log "an embedded PostgreSQL ($POSTMASTER_BEFORE) already runs on $OUT/postgres: using it, and leaving it running"
fi

if [[ ${BENCH_SKIP_LOAD:-0} == 0 ]]; then # 1: the data is there from an earlier run
    log "loading TPC-H scale $SCALE (skipped when it is already loaded)"
    java "${PROPS[@]}" -jar "$JAR" load --scale "$SCALE" > "$OUT/load.log" 2>&1 || { cat "$OUT/load.log" >&2; die "load failed"; }
    grep -E '^(Loaded|TPC-H|Scale)|already' "$OUT/load.log" >&2 || true
fi

log "starting Quarry with -Xmx64m on $BASE"
java -Xmx64m --add-opens=java.base/java.nio=ALL-UNNAMED "${PROPS[@]}" -Dquarry.dataset.load-on-start=none -jar "$JAR" > "$OUT/quarry.log" 2>&1 &
QPID=$!
for _ in $(seq 240); do
    curl -sf -o /dev/null "$BASE/q/health/ready" && break
    kill -0 "$QPID" 2> /dev/null || { cat "$OUT/quarry.log" >&2; die "Quarry did not start"; }
    sleep 0.5
done
curl -sf -o /dev/null "$BASE/q/health/ready" || die "Quarry is not ready after 120 s (see $OUT/quarry.log)"
POSTMASTER=$(head -1 "$OUT/postgres/postmaster.pid")
if [[ -n $BASE_JAR ]]; then
    log "starting $BASE_JAR with -Xmx64m on $BASE_URL, same database"
    java -Xmx64m --add-opens=java.base/java.nio=ALL-UNNAMED -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$((HTTP_PORT + 1))" -Dquarry.dataset.load-on-start=none \
        -Dquarry.templates.directory="$ROOT/src/test/bench/templates" ${BENCH_FETCH_SIZE:+-Dquarry.stream.fetch-size=$BENCH_FETCH_SIZE} \
        -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/quarry" -Dquarkus.datasource.username=postgres \
        ${BENCH_BASE_OPTS:-} -jar "$BASE_JAR" > "$OUT/base-quarry.log" 2>&1 &
    BASE_QPID=$!
    for _ in $(seq 240); do
        curl -sf -o /dev/null "$BASE_URL/q/health/ready" && break
        kill -0 "$BASE_QPID" 2> /dev/null || { cat "$OUT/base-quarry.log" >&2; die "the base build did not start"; }
        sleep 0.5
    done
    for format in ${BENCH_BASE_FORMATS:-ndjson}; do FORMATS+=" base-$format"; done
fi
FETCH_SIZE=${BENCH_FETCH_SIZE:-500 (default)}

# ---- 1 and 2: streaming lineitem ---------------------------------------------------------------

STREAM_TABLE=
MEMORY_TABLE=
if [[ -z ${BENCH_SKIP_STREAM:-} ]]; then
    # the statement Quarry streams: the page's SQL from _explain, without the page's LIMIT
    explain=$(curl -sf "$BASE/queries/bench/lineitem?_explain=true") || die "bench/lineitem is not served"
    STREAM_SQL=$(jq -r .sql <<< "$explain" | sed -E '$ s/ LIMIT \$[0-9]+$//')
    [[ $(jq '.values | length' <<< "$explain") == 1 ]] || die "bench/lineitem binds more than its LIMIT"
    printf '%s\n' "$STREAM_SQL" > "$OUT/stream.sql"
    EXPECTED=$("${PSQL[@]}" -c "SELECT count(*) FROM lineitem")
    ((EXPECTED == 6001215)) || log "warning: lineitem has $EXPECTED rows, not SF1's 6,001,215"

    JSON_SQL="SELECT row_to_json(r) FROM ($STREAM_SQL) r"
    copy_to() { "${PSQL[@]}" -c "COPY ($1) TO STDOUT"; }
    accept_of() {
        case ${1#base-} in
            ndjson) echo application/x-ndjson ;;
            sse) echo text/event-stream ;;
            csv) echo text/csv ;;
            arrow) echo application/vnd.apache.arrow.stream ;;
        esac
    }
    url_of() { [[ $1 == base-* ]] && echo "$BASE_URL" || echo "$BASE"; }
    pid_of() { [[ $1 == base-* ]] && echo "$BASE_QPID" || echo "$QPID"; }
    stream_to() { curl -sfN -m "$STREAM_TIMEOUT" -H "Accept: $(accept_of "$1")" "$(url_of "$1")/queries/bench/lineitem"; }

    # once each, untimed: the row counts (also the JIT's warm-up); BENCH_CHECK_COUNTS=0 checks COPY's only
    COUNTED_FORMATS=$FORMATS
    [[ ${BENCH_CHECK_COUNTS:-1} == 1 ]] || COUNTED_FORMATS=
    log "checking the row counts (untimed)"
    declare -A BYTES
    read -r count BYTES[copy] < <(copy_to "$STREAM_SQL" | wc -lc)
    ((count == EXPECTED)) || die "COPY gave $count rows, not $EXPECTED"
    read -r count BYTES[copy-json] < <(copy_to "$JSON_SQL" | wc -lc)
    ((count == EXPECTED)) || die "COPY of row_to_json gave $count rows, not $EXPECTED"
    BYTES[copy-binary]=$("${PSQL[@]}" -c "COPY ($STREAM_SQL) TO STDOUT (FORMAT binary)" | wc -c)
    if [[ " $COUNTED_FORMATS " == *" arrow "* || " $COUNTED_FORMATS " == *" base-arrow "* ]]; then
        # an Arrow reader Quarry did not write counts the rows: apache-arrow, as the tests pin it
        check_tools node npm
        mkdir -p "$OUT/arrow-reader"
        cp "$ROOT/src/test/resources/arrow-reader/package.json" "$ROOT/src/test/bench/arrow-rows.mjs" "$OUT/arrow-reader/"
        [[ -d $OUT/arrow-reader/node_modules/apache-arrow ]] ||
            (cd "$OUT/arrow-reader" && npm install --no-audit --no-fund --no-package-lock > /dev/null) || die "npm install of apache-arrow failed"
    fi
    for format in $COUNTED_FORMATS; do
        case ${format#base-} in
            ndjson) count=$(stream_to "$format" | wc -l) ;;
            sse) count=$(stream_to "$format" | grep -c '^event: *row$') ;;
            csv) count=$(($(stream_to "$format" | wc -l) - 1)) ;;
            arrow) count=$(stream_to "$format" | node "$OUT/arrow-reader/arrow-rows.mjs") ;;
            *) die "unknown format $format" ;;
        esac
        ((count == EXPECTED)) || die "$format gave $count rows, not $EXPECTED"
        log "  $format: $count rows"
    done
    log "  copy: $EXPECTED rows"

    declare -A SECONDS_OF CPU_SERVER CPU_PG CPU_CLIENT
    for run in $(seq "$STREAM_RUNS"); do
        for format in copy copy-binary copy-json $FORMATS; do
            wait_quiet
            pid=$(pid_of "$format")
            pg0=$(cpu_of_children "$POSTMASTER")
            q0=$(cpu_of "$pid")
            if [[ $format == copy* ]]; then
                sql=$STREAM_SQL
                options=
                [[ $format == copy-json ]] && sql=$JSON_SQL
                [[ $format == copy-binary ]] && options=" (FORMAT binary)"
                start=$(now)
                client=$({ /usr/bin/time -f '%U %S' "${PSQL[@]}" -c "COPY ($sql) TO STDOUT$options" > /dev/null; } 2>&1 | tail -1)
                elapsed=$(awk -v a="$start" -v b="$(now)" 'BEGIN {print b - a}')
                bytes=${BYTES[$format]}
            else
                memory=$OUT/memory-$format-$run.txt
                (
                    t0=$(date +%s%N)
                    while rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2> /dev/null) && [[ -n $rss ]]; do
                        echo "$((($(date +%s%N) - t0) / 1000000)) $rss"
                        sleep 0.5
                    done
                ) > "$memory" &
                BACKGROUND+=($!)
                jstat -gc "$pid" 500 > "$OUT/jstat-$format-$run.txt" &
                BACKGROUND+=($!)
                out=$({ /usr/bin/time -f '%U %S' curl -sfN -m "$STREAM_TIMEOUT" -o /dev/null -w '%{size_download} %{time_total}\n' \
                    -H "Accept: $(accept_of "$format")" "$(url_of "$format")/queries/bench/lineitem"; } 2>&1)
                kill "${BACKGROUND[@]: -2}" 2> /dev/null || true
                wait "${BACKGROUND[@]: -2}" 2> /dev/null || true
                BACKGROUND=("${BACKGROUND[@]:0:${#BACKGROUND[@]}-2}")
                read -r bytes elapsed <<< "$(head -1 <<< "$out")"
                client=$(tail -1 <<< "$out")
            fi
            SECONDS_OF[$format]+="$elapsed "
            CPU_SERVER[$format]+="$(awk -v a="$q0" -v b="$(cpu_of "$pid")" 'BEGIN {print b - a}') "
            CPU_PG[$format]+="$(awk -v a="$pg0" -v b="$(cpu_of_children "$POSTMASTER")" 'BEGIN {print b - a}') "
            CPU_CLIENT[$format]+="$(awk '{print $1 + $2}' <<< "$client") "
            BYTES[$format]=$bytes
            log "  run $run $format: $(printf '%.2f' "$elapsed") s, $bytes bytes (load $(cut -d' ' -f1 /proc/loadavg))"
        done
    done

    med() { tr ' ' '\n' <<< "$1" | grep -v '^$' | median; }
    copy_rate=$(awk -v n="$EXPECTED" -v s="$(med "${SECONDS_OF[copy]}")" 'BEGIN {print n / s}')
    json_rate=$(awk -v n="$EXPECTED" -v s="$(med "${SECONDS_OF[copy-json]}")" 'BEGIN {print n / s}')
    # the goals: CSV >= 1.0x COPY text; NDJSON and SSE >= 0.9x COPY text and >= 1.6x COPY of row_to_json
    goal_of() { # format ratio-to-text ratio-to-json ratio-to-csv
        case ${1#base-} in
            copy | copy-json | copy-binary) echo - ;;
            csv) awk -v r="$2" 'BEGIN {print (r >= 1.0 ? "met" : "missed")}' ;;
            # issue 30's goal: Arrow at least as fast as CSV, in rows/s, in the same run
            arrow) awk -v r="$4" 'BEGIN {print (r >= 1.0 ? "met (x CSV " r ")" : "missed (x CSV " r ")")}' ;;
            *) awk -v r="$2" -v j="$3" 'BEGIN {print (r >= 0.9 && j >= 1.6 ? "met" : "missed")}' ;;
        esac
    }
    STREAM_TABLE=$(
        printf '%-22s %12s %9s %9s %11s %11s %8s  %-26s %s\n' "lineitem, $EXPECTED rows" "MB" "median s" "rows/s" "x COPY" \
            "x COPY json" "goal" "runs (s)" "CPU s: Quarry/postgres/client"
        csv_rate=$(awk -v n="$EXPECTED" -v s="$(med "${SECONDS_OF[csv]:-nan}")" 'BEGIN {print n / s}')
        for format in copy copy-binary copy-json $FORMATS; do
            s=$(med "${SECONDS_OF[$format]}")
            rate=$(awk -v n="$EXPECTED" -v s="$s" 'BEGIN {print n / s}')
            ratio=$(awk -v r="$rate" -v c="$copy_rate" 'BEGIN {printf "%.2f", r / c}')
            jratio=$(awk -v r="$rate" -v c="$json_rate" 'BEGIN {printf "%.2f", r / c}')
            cratio=$(awk -v r="$rate" -v c="$csv_rate" 'BEGIN {printf "%.2f", r / c}')
            goal=$(goal_of "$format" "$ratio" "$jratio" "$cratio")
            case $format in
                copy) label="psql COPY TO STDOUT" ;;
                copy-json) label="psql COPY row_to_json" ;;
                copy-binary) label="psql COPY binary" ;;
                base-*) label="base build ${format#base-}" ;;
                *) label="Quarry $format" ;;
            esac
            printf '%-22s %12.0f %9.2f %9.0f %11s %11s %8s  %-26s %.1f / %.1f / %.1f\n' "$label" \
                "$(awk -v b="${BYTES[$format]}" 'BEGIN {print b / 1e6}')" "$s" "$rate" "${ratio}x" "${jratio}x" "$goal" \
                "$(printf '%.1f ' ${SECONDS_OF[$format]})" \
                "$(med "${CPU_SERVER[$format]}")" "$(med "${CPU_PG[$format]}")" "$(med "${CPU_CLIENT[$format]}")"
        done
    )

    echo "$STREAM_TABLE" > "$OUT/results-stream.txt"
    log "streaming:"$'\n'"$STREAM_TABLE"

    # memory: RSS every 0.5 s during each stream, heap from jstat (S0U+S1U+EU+OU) and GC counts
    HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$QPID/status")
    jcmd "$QPID" GC.heap_info > "$OUT/heap-info.txt" 2>&1 || true
    MEMORY_TABLE=$(
        printf '%-14s %10s %10s %10s %12s %11s %8s %9s  %s\n' "Quarry -Xmx64m" "RSS first" "RSS last" "RSS max" \
            "drift 10%..end" "heap max" "young GCs" "full GCs" "flat"
        for format in $FORMATS; do
            for run in $(seq "$STREAM_RUNS"); do
                m=$OUT/memory-$format-$run.txt
                j=$OUT/jstat-$format-$run.txt
                read -r first last max drift < <(awk '{t[NR] = $1; r[NR] = $2; if ($2 > max) max = $2}
                    END {ten = int(NR / 10) + 1; print r[1] / 1024, r[NR] / 1024, max / 1024, (r[NR] - r[ten]) / 1024}' "$m")
                read -r heap ygc fgc < <(awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                    $1 ~ /^[0-9]/ {u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; if (u > max) max = u
                        if (first == "") {y0 = $c["YGC"]; f0 = $c["FGC"]; first = 1}; y = $c["YGC"]; f = $c["FGC"]}
                    END {print max / 1024, y - y0, f - f0}' "$j")
                flat=$(awk -v d="$drift" 'BEGIN {print (d < 8 && d > -8 ? "yes" : "no")}')
                printf '%-14s %7.0f MB %7.0f MB %7.0f MB %+9.1f MB %8.1f MB %8d %9d  %s\n' "$format run $run" \
                    "$first" "$last" "$max" "$drift" "$heap" "$ygc" "$fgc" "$flat"
            done
        done
        printf 'peak RSS of the Quarry process over the whole run (VmHWM, startup included): %.0f MB\n' "$(awk -v k="$HWM" 'BEGIN {print k / 1024}')"
        printf '%s\n' "$(grep -E 'garbage-first heap|region size|Metaspace' "$OUT/heap-info.txt" | sed 's/^ */jcmd GC.heap_info: /')"
        for format in $FORMATS; do
            printf 'RSS over time, %s run %s (s:MB every 5 s): %s\n' "$format" "$STREAM_RUNS" \
                "$(awk 'NR % 10 == 1 {printf "%d:%.0f ", $1 / 1000, $2 / 1024}' "$OUT/memory-$format-$STREAM_RUNS.txt")"
        done
    )
    echo "$MEMORY_TABLE" > "$OUT/results-memory.txt"
fi

# ---- 3: latency of every template --------------------------------------------------------------

# a JSON value from _explain as a SQL literal for EXECUTE (lists as array literals)
read -r -d '' TO_ARGS << 'EOF' || true
def sqlstr: "'" + gsub("'"; "''") + "'";
def element: if . == null then "NULL" else "\"" + (tostring | gsub("(?<c>[\\\\\"])"; "\\\(.c)")) + "\"" end;
def literal: if . == null then "NULL"
    elif type == "array" then ("{" + (map(element) | join(",")) + "}" | sqlstr)
    else (tostring | sqlstr) end;
.values | map(literal) | join(", ")
EOF

LATENCY_TABLE=
if [[ -z ${BENCH_SKIP_LATENCY:-} ]]; then
    mapfile -t names < <(curl -sf "$BASE/queries" | jq -r '.[].name' | grep -E "$TEMPLATES")
    ((${#names[@]} > 0)) || die "no template matches $TEMPLATES"

    # One psql session for every template, warm like Quarry's pooled connections. Each statement is
    # PREPAREd and EXECUTEd with a custom plan every time: as Quarry runs a template that declares
    # @plan custom, and as PostgreSQL plans the others' first five runs on each pooled connection.
    coproc PG { stdbuf -oL "${PSQL[@]}" -f - 2>&1; }
    BACKGROUND+=("$PG_PID")
    PG_OUT=
    pg() { # one command in that session; its output in PG_OUT (not on stdout: no subshell has the coprocess)
        local command=$1 line
        [[ $command == \\* ]] || command="${command%;};"
        printf '%s\n\\echo __END__\n' "$command" >&"${PG[1]}" || die "psql ended: $PG_OUT"
        PG_OUT=
        while IFS= read -r -t 900 line <&"${PG[0]}"; do
            [[ $line == __END__ ]] && return 0
            PG_OUT+=$line$'\n'
        done
        die "psql ended or did not answer: $PG_OUT"
    }
    pg "SET plan_cache_mode = force_custom_plan"
    pg '\o /dev/null'

    LATENCY_TABLE=$(printf '%-40s %10s %10s %7s %10s %7s  %s\n' "template (JSON page, defaults)" "Quarry ms" "psql ms" \
        "ratio" "PG exec ms" "ratio" "goal: <= 1.10x both")
    within=0
    psql_ratios=()
    exec_ratios=()
    : > "$OUT/latency.sql"
    for name in "${names[@]}"; do
        explain=$(curl -sf "$BASE/queries/$name?_explain=true") || die "_explain of $name failed"
        sql=$(jq -r .sql <<< "$explain")
        args=$(jq -r "$TO_ARGS" <<< "$explain")
        execute="EXECUTE q${args:+($args)}"
        printf -- '-- %s\nPREPARE q AS %s;\n%s;\nDEALLOCATE q;\n\n' "$name" "$sql" "$execute" >> "$OUT/latency.sql"
        pg "DEALLOCATE ALL"
        pg "PREPARE q AS $sql"

        # one measurement: a warm-up of each, then rounds of Quarry's page, the same EXECUTE in psql
        # (\timing: planning, execution and the rows to psql) and EXPLAIN (ANALYZE, TIMING OFF) of it
        # (PostgreSQL's "Execution Time"; TIMING OFF, so that no clock is read per row), interleaved
        # so that whatever else runs on the machine weighs on all three alike
        wait_quiet
        curl -sf -o /dev/null "$BASE/queries/$name" || die "$name failed"
        pg "$execute"
        quarry=() via_psql=() executed=()
        for _ in $(seq "$LATENCY_RUNS"); do
            # the page on an open connection, as psql's session is: a new connection alone costs 3-5 ms here
            quarry+=("$(curl -sf -o /dev/null -o /dev/null -w '%{time_total}\n' "$BASE/q/health/live" "$BASE/queries/$name" |
                tail -1 | awk '{print $1 * 1000}')")
            pg '\timing on'
            pg "$execute"
            via_psql+=("$(grep -oE '^Time: [0-9.]+' <<< "$PG_OUT" | awk '{print $2}')")
            pg '\timing off'
            pg '\o'
            pg "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $execute"
            executed+=("$(grep -oE '"Execution Time": [0-9.]+' <<< "$PG_OUT" | awk '{print $3}')")
            pg '\o /dev/null'
        done
        q_ms=$(printf '%s\n' "${quarry[@]}" | median)
        psql_ms=$(printf '%s\n' "${via_psql[@]}" | median)
        exec_ms=$(printf '%s\n' "${executed[@]}" | median)
        psql_ratio=$(awk -v a="$q_ms" -v b="$psql_ms" 'BEGIN {printf "%.2f", a / b}')
        exec_ratio=$(awk -v a="$q_ms" -v b="$exec_ms" 'BEGIN {printf "%.2f", a / b}')
        psql_ratios+=("$psql_ratio")
        exec_ratios+=("$exec_ratio")
        goal=$(awk -v a="$psql_ratio" -v b="$exec_ratio" 'BEGIN {print (a <= 1.10 && b <= 1.10 ? "met" : "missed")}')
        if [[ $goal == missed ]]; then
            goal+=" (+$(awk -v a="$q_ms" -v b="$psql_ms" 'BEGIN {printf "%.1f", a - b}') ms)"
        else
            within=$((within + 1))
        fi
        row=$(printf '%-40s %10.1f %10.1f %6sx %10.1f %6sx  %s' "$name" "$q_ms" "$psql_ms" "$psql_ratio" "$exec_ms" \
            "$exec_ratio" "$goal")
        log "$row"
        LATENCY_TABLE+=$'\n'"$row"
    done
    exec {PG[1]}>&-
    geomean() { awk '{s += log($1)} END {printf "%.2f", exp(s / NR)}'; }
    LATENCY_TABLE+=$'\n'"$(printf 'within 10%% of both: %d of %d templates; ratio to psql: median %s, geometric mean %s; to PG exec: median %s, geometric mean %s' \
        "$within" "${#names[@]}" "$(printf '%s\n' "${psql_ratios[@]}" | median)" "$(printf '%s\n' "${psql_ratios[@]}" | geomean)" \
        "$(printf '%s\n' "${exec_ratios[@]}" | median)" "$(printf '%s\n' "${exec_ratios[@]}" | geomean)")"
    {
        echo "Quarry ms: curl's time_total of GET /queries/NAME (JSON page of 100 rows, default parameters) on a connection already open. psql ms: \\timing of"
        echo "EXECUTE of Quarry's statement (from _explain=true, LIMIT included) with its bound values, in one warm session,"
        echo "rows to /dev/null. PG exec ms: \"Execution Time\" of EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) of that EXECUTE."
        echo "$LATENCY_TABLE"
    } > "$OUT/results-latency.txt"
fi

# ---- optional: a profile of one NDJSON and one SSE stream --------------------------------------

PROFILE=
if [[ -n ${BENCH_JFR:-} && -z ${BENCH_SKIP_STREAM:-} ]]; then
    command -v jfr > /dev/null || die "jfr is needed for BENCH_JFR"
    for format in ndjson sse; do
        wait_quiet
        jfr_file=$OUT/stream-$format.jfr
        jcmd "$QPID" JFR.start name=bench settings=profile filename="$jfr_file" > /dev/null
        stream_to "$format" > /dev/null
        jcmd "$QPID" JFR.stop name=bench > /dev/null
        PROFILE+=$'\n'"hottest frames (self time, JFR execution samples), $format stream, $jfr_file:"$'\n'
        PROFILE+=$(jfr print --events jdk.ExecutionSample "$jfr_file" |
            awk '/stackTrace = \[/ {getline; sub(/ +line:.*/, ""); sub(/^ +/, ""); print}' |
            sort | uniq -c | sort -rn | sed -n 1,25p)
    done
fi

# ---- the table ---------------------------------------------------------------------------------

{
    echo "Quarry streaming and latency benchmark, TPC-H SF$SCALE, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
    echo "PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version') embedded (port $PG_PORT), psql $(psql --version | awk '{print $3}'), Quarry -Xmx64m, quarry.stream.fetch-size $FETCH_SIZE"
    echo "each figure is the median of $STREAM_RUNS (streams) or $LATENCY_RUNS (latency) runs; $MEASUREMENTS measurements, $NOISY of them started with the 1-minute load still >= $MAX_LOAD (after waiting ${QUIET_WAIT}s, or the ${QUIET_BUDGET}s budget); highest load at a start: $MAX_SEEN_LOAD; ${WAITED_IN_ALL}s spent waiting"
    if [[ -n $STREAM_TABLE ]]; then
        echo
        echo "$STREAM_TABLE"
        echo
        echo "$MEMORY_TABLE"
    fi
    if [[ -n $LATENCY_TABLE ]]; then
        echo
        cat "$OUT/results-latency.txt"
    fi
    if [[ -n $PROFILE ]]; then
        echo "$PROFILE"
    fi
} | tee "$RESULTS"
