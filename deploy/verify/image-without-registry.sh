#!/usr/bin/env bash
# Builds Quarry's container image with Quarkus' Jib where no container registry and no Docker daemon
# are reachable, and runs it:
#   1. a JVM base image from the local JDK (deploy/image/jlink-base.sh), as a tarball;
#   2. `./mvnw package -Dquarkus.container-image.build=true` with that base (tar://) and
#      deploy/image/docker-load-to-tar.sh as the "docker" Jib loads into: target/quarry-image.tar;
#   3. (as root) the image's layers unpacked and its entrypoint run as its user (185) in a chroot,
#      against the PostgreSQL of a Quarry started from the jar: the answers must be equal, and
#      `load --scale N` must reach the same database through the image's arguments.
# Every process it starts is stopped on exit. Usage: bash deploy/verify/image-without-registry.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/image"
IMAGE="$ROOT/target/quarry-image.tar"
PG_PORT=${PG_PORT:-54361}
DIRECT_PORT=${DIRECT_PORT:-18380}
IMAGE_PORT=${IMAGE_PORT:-18382}
STARTED=$(date +%s)
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

PIDS=()
MOUNTED=""
cleanup() {
    local status=$?
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${PIDS[$i]}" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "${PIDS[$i]}" 2>/dev/null || true
        wait "${PIDS[$i]}" 2>/dev/null || true
    done
    [[ -n $MOUNTED ]] && umount "$MOUNTED" 2>/dev/null || true
    ((status == 0)) && log "PASS in $(($(date +%s) - STARTED)) s" || log "logs are in $WORK"
}
trap cleanup EXIT
wait_http() { # url seconds what log
    local deadline=$(($(date +%s) + $2)) pid=${PIDS[-1]}
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { grep -E 'ERROR|Exception' "$4" | head -5 | cut -c1-300; fail "$3 exited"; }
        (($(date +%s) < deadline)) || fail "$3 did not answer $1 within $2 s"
        sleep 0.5
    done
}

mkdir -p "$WORK"
log "1. base image from the local JDK (jlink)"
"$ROOT/deploy/image/jlink-base.sh" "$WORK/jre17-base.tar" | sed 's/^/    /'

log "2. Quarkus Jib build with that base, into target/quarry-image.tar (no daemon, no registry)"
rm -f "$IMAGE"
(cd "$ROOT" && QUARRY_IMAGE_TAR="$IMAGE" ./mvnw -B package -DskipTests -Dquarkus.container-image.build=true \
    -Dquarkus.jib.base-jvm-image="tar://$WORK/jre17-base.tar" \
    -Dquarkus.jib.docker-executable-name="$ROOT/deploy/image/docker-load-to-tar.sh") >"$WORK/build.log" 2>&1 \
    || { grep -E 'ERROR' "$WORK/build.log" | head -10; fail "the image build failed (target/image/build.log)"; }
grep -o 'Created container image.*' "$WORK/build.log" | sed 's/^/    /'
[[ -s $IMAGE ]] || fail "no $IMAGE"
rm -rf "$WORK/archive" && mkdir -p "$WORK/archive" && tar -C "$WORK/archive" -xf "$IMAGE"
python3 - "$WORK/archive" <<'EOF'
import json, sys
root = sys.argv[1]
manifest = json.load(open(f"{root}/manifest.json"))[0]
config = json.load(open(f"{root}/{manifest['Config']}"))["config"]
print(f"    {manifest['RepoTags']}, {len(manifest['Layers'])} layers, user {config['User']}, "
      f"workdir {config['WorkingDir']}, ports {list(config['ExposedPorts'])}, entrypoint {config['Entrypoint']}")
assert manifest["RepoTags"] == ["quarry:latest"], manifest["RepoTags"]
assert "8080/tcp" in config["ExposedPorts"]
assert config["Entrypoint"][-2:] == ["-jar", "quarkus-run.jar"], config["Entrypoint"]
EOF
log "    $(du -h "$IMAGE" | cut -f1) $IMAGE"

if ((EUID != 0)); then
    log "3. skipped: running the image in a chroot needs root"
    exit 0
fi
log "3. the image's file system, its entrypoint as user 185 in a chroot"
rm -rf "$WORK/rootfs" && mkdir -p "$WORK/rootfs"
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$WORK/archive/manifest.json"); do
    tar --numeric-owner -C "$WORK/rootfs" -xzf "$WORK/archive/$layer" 2>/dev/null
done
mount --bind /proc "$WORK/rootfs/proc"
MOUNTED="$WORK/rootfs/proc"
ENTRYPOINT=$(python3 -c 'import json,sys,shlex; m=json.load(open(sys.argv[1]+"/manifest.json"))[0]; print(shlex.join(json.load(open(sys.argv[1]+"/"+m["Config"]))["config"]["Entrypoint"]))' "$WORK/archive")
ENV_PATH=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]+"/manifest.json"))[0]; print([e for e in json.load(open(sys.argv[1]+"/"+m["Config"]))["config"]["Env"] if e.startswith("PATH=")][0])' "$WORK/archive")
# the image's entrypoint with extra arguments, as its user, its environment plus the given variables
image_command() { # VAR=value... -> fills CMD
    CMD=(env -i "$ENV_PATH" "$@" /usr/sbin/chroot --userspec=185:0 "$WORK/rootfs"
        /bin/sh -c "cd /home/jboss && exec $ENTRYPOINT \"\$@\"" sh)
}

java -Dquarry.embedded.port=$PG_PORT -Dquarry.embedded.data-directory="$ROOT/target/verify/pg" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$DIRECT_PORT -jar "$ROOT/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/quarry-direct.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$DIRECT_PORT/q/health/ready" 180 "Quarry from the jar" "$WORK/quarry-direct.log"
DB=(QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/quarry QUARKUS_DATASOURCE_USERNAME=postgres
    QUARRY_CURSOR_SECRET=image-check)
image_command "${DB[@]}" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$IMAGE_PORT
"${CMD[@]}" >"$WORK/quarry-image.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$IMAGE_PORT/q/health/ready" 180 "Quarry from the image" "$WORK/quarry-image.log"
log "    $(grep -o 'Connected to PostgreSQL.*' "$WORK/quarry-image.log"); $(grep -o 'started in [^.]*\.[0-9]*s' "$WORK/quarry-image.log")"
for path in /queries/tpch/q03 /queries/tpch/q06 /queries/analysis/top-customers; do
    cmp -s <(curl -fsS "http://127.0.0.1:$IMAGE_PORT$path") <(curl -fsS "http://127.0.0.1:$DIRECT_PORT$path") \
        || fail "$path from the image differs from the jar's"
done
log "    /queries/tpch/q03, q06 and analysis/top-customers: the image answers as the jar does"
image_command "${DB[@]}"
"${CMD[@]}" load --scale 0.01 >"$WORK/load.log" 2>&1 || { tail -5 "$WORK/load.log"; fail "load in the image"; }
log "    load --scale 0.01 in the image: $(grep -o 'TPC-H scale .*' "$WORK/load.log" | head -1)"
