#!/usr/bin/env bash
# Builds Quarry's container image as an OCI image tarball with Jib, with no Docker daemon and no
# container registry, checks it and runs it:
#   1. `./mvnw package -DskipTests -Poci-image`: a JVM base image from the local JDK
#      (deploy/image/jlink-base.sh), then Jib's buildTar into target/quarry-image.tar;
#   2. the tarball as an OCI image layout: media types, every blob's size and sha256 recomputed,
#      the layers' diff_ids, the configuration (entrypoint, non-root user, port 8080, working
#      directory), the Quarkus fast-jar in its layers, no build-machine path and nothing secret;
#   3. (as root) the image unpacked by umoci into an OCI runtime bundle, and the process its
#      configuration describes (the entrypoint, as the image's user, in its working directory and
#      environment) run in a chroot of the bundle's root file system, against the PostgreSQL of a
#      Quarry started from the jar: ready, as user 185, the same answers as the jar's, and
#      `load --scale N` through the image's arguments.
# Installs jq and umoci (Debian packages) when missing.
# Every process it starts is stopped on exit. Usage: bash deploy/verify/image-without-registry.sh
# Ports (loopback): PG_PORT (54361) for the embedded PostgreSQL, IMAGE_PORT (18382) for the image's
# Quarry; the jar's Quarry takes a free port. PG_DATA (target/verify/pg) keeps the embedded data.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/image"
IMAGE="$ROOT/target/quarry-image.tar"
PG_PORT=${PG_PORT:-54361}
IMAGE_PORT=${IMAGE_PORT:-18382}
PG_DATA=${PG_DATA:-$ROOT/target/verify/pg}
STARTED=$(date +%s)
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

PIDS=()
MOUNTS=()
cleanup() {
    local status=$?
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${PIDS[$i]}" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "${PIDS[$i]}" 2>/dev/null || true
        wait "${PIDS[$i]}" 2>/dev/null || true
    done
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount "${MOUNTS[$i]}" 2>/dev/null || true; done
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
# jq reads the image's JSON; umoci (root only: step 3) unpacks it as an OCI runtime bundle
NEEDED=(jq)
((EUID == 0)) && NEEDED+=(umoci)
MISSING=()
for tool in "${NEEDED[@]}"; do command -v "$tool" >/dev/null || MISSING+=("$tool"); done
if ((${#MISSING[@]})); then
    log "installing ${MISSING[*]} (Debian packages)"
    SUDO=""
    ((EUID == 0)) || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
fi
for tool in curl java gzip sha256sum unzip; do command -v $tool >/dev/null || fail "$tool is needed"; done

mkdir -p "$WORK"
log "1. ./mvnw package -DskipTests -Poci-image: jlink base, then Jib into target/quarry-image.tar"
rm -f "$IMAGE"
(cd "$ROOT" && ./mvnw -B package -DskipTests -Poci-image) >"$WORK/build.log" 2>&1 \
    || { grep -E 'ERROR' "$WORK/build.log" | head -10; fail "the image build failed (target/image/build.log)"; }
grep -h -o 'jlink runtime of .*' "$WORK/build.log" | head -1 | sed 's/^/    base: /'
[[ -s $IMAGE ]] || fail "no $IMAGE"

log "2. the tarball is an OCI image layout"
OCI="$WORK/oci"
rm -rf "$OCI" && mkdir -p "$OCI" && tar -C "$OCI" -xf "$IMAGE"
unexpected=$(tar -tf "$IMAGE" | grep -v -E '^(oci-layout|index\.json|blobs/|blobs/sha256/|blobs/sha256/[0-9a-f]{64})$' || true)
[[ -z $unexpected ]] || fail "entries outside the OCI layout: $unexpected"
[[ $(jq -r .imageLayoutVersion "$OCI/oci-layout") == 1.0.0 ]] || fail "oci-layout: $(cat "$OCI/oci-layout")"
jq -e '.schemaVersion == 2 and .mediaType == "application/vnd.oci.image.index.v1+json" and (.manifests | length) == 1' \
    "$OCI/index.json" >/dev/null || fail "index.json: $(cat "$OCI/index.json")"
# a descriptor's blob exists, has the descriptor's size, and its sha256 is the digest
blob() { # descriptor-json -> path of the checked blob
    local digest size path
    digest=$(jq -r .digest <<<"$1")
    size=$(jq -r .size <<<"$1")
    [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || fail "digest $digest"
    path="$OCI/blobs/sha256/${digest#sha256:}"
    [[ -f $path ]] || fail "no blob for $digest"
    [[ $(stat -c %s "$path") == "$size" ]] || fail "$digest: $(stat -c %s "$path") bytes, the descriptor says $size"
    [[ $(sha256sum "$path" | cut -d' ' -f1) == "${digest#sha256:}" ]] || fail "$digest: the blob's sha256 differs"
    echo "$path"
}
descriptor=$(jq -c '.manifests[0]' "$OCI/index.json")
jq -e '.mediaType == "application/vnd.oci.image.manifest.v1+json" and .annotations["org.opencontainers.image.ref.name"] == "quarry:latest"' \
    <<<"$descriptor" >/dev/null || fail "index.json's manifest descriptor: $descriptor"
MANIFEST=$(blob "$descriptor")
jq -e '.schemaVersion == 2 and .mediaType == "application/vnd.oci.image.manifest.v1+json"
       and .config.mediaType == "application/vnd.oci.image.config.v1+json"
       and ([.layers[].mediaType] | all(. == "application/vnd.oci.image.layer.v1.tar+gzip"))' \
    "$MANIFEST" >/dev/null || fail "manifest media types: $(jq -c '[.mediaType, .config.mediaType, [.layers[].mediaType]]' "$MANIFEST")"
CONFIG=$(blob "$(jq -c .config "$MANIFEST")")
LAYERS=()
i=0
while read -r layer; do
    path=$(blob "$layer")
    diff_id=$(jq -r ".rootfs.diff_ids[$i]" "$CONFIG")
    [[ sha256:$(gzip -dc "$path" | sha256sum | cut -d' ' -f1) == "$diff_id" ]] || fail "layer $i: its diff_id is not $diff_id"
    LAYERS+=("$path")
    i=$((i + 1))
done < <(jq -c '.layers[]' "$MANIFEST")
[[ $(jq '.rootfs.diff_ids | length' "$CONFIG") == "$i" ]] || fail "$i layers, $(jq '.rootfs.diff_ids | length' "$CONFIG") diff_ids"
log "    oci-layout, index.json, $((i + 2)) blobs: sizes and sha256 digests match, and the $i layers' diff_ids"

jq -e '.os == "linux" and .config.Entrypoint[-2:] == ["-jar", "quarkus-run.jar"] and .config.ExposedPorts == {"8080/tcp": {}}
       and .config.WorkingDir == "/deployments" and (.config.User | test("^[1-9][0-9]*(:[0-9]+)?$"))' \
    "$CONFIG" >/dev/null || fail "configuration: $(jq -c .config "$CONFIG")"
# the layers above the base, by the names Jib gave them, hold the fast-jar's parts
jq -e '[.history[1:][].comment] == ["fast-jar-lib", "fast-jar-run", "fast-jar-quarkus-app", "fast-jar-quarkus"]' "$CONFIG" >/dev/null \
    || fail "layers: $(jq -c '[.history[].comment]' "$CONFIG")"
# file names in a layer (tar warns of the PAX creation-time records Jib writes)
listing() { tar --warning=no-unknown-keyword -tzf "$1" | grep -v '/$' | sed 's|^\./||'; }
lib=$(listing "${LAYERS[1]}")
grep -q -v -E '^deployments/lib/(boot|main)/[^/]+\.jar$' <<<"$lib" && fail "fast-jar-lib holds more than lib/boot and lib/main"
grep -q '^deployments/lib/boot/io.quarkus.quarkus-bootstrap-runner-.*\.jar$' <<<"$lib" || fail "no bootstrap runner in lib/boot"
[[ $(listing "${LAYERS[2]}") == deployments/quarkus-run.jar ]] || fail "fast-jar-run: $(listing "${LAYERS[2]}")"
[[ $(listing "${LAYERS[3]}") == deployments/app/quarry-*.jar ]] || fail "fast-jar-quarkus-app: $(listing "${LAYERS[3]}")"
grep -q '^deployments/quarkus/quarkus-application.dat$' <<<"$(listing "${LAYERS[4]}")" || fail "fast-jar-quarkus: $(listing "${LAYERS[4]}")"
owners=$(for layer in "${LAYERS[@]:1}"; do tar --warning=no-unknown-keyword -tzvf "$layer"; done | awk '{ print $2 }' | sort -u)
[[ $owners == 0/0 ]] || fail "application files owned by $owners, not root"
log "    $(jq -c .config.Entrypoint "$CONFIG"), user $(jq -r .config.User "$CONFIG"), workdir $(jq -r .config.WorkingDir "$CONFIG"), ports $(jq -c '.config.ExposedPorts | keys' "$CONFIG")"
log "    layers: base, then $(jq -r '[.history[1:][].comment] | join(", ")' "$CONFIG"); $(du -h "$IMAGE" | cut -f1)"

# nothing of the build machine: its paths, home or host name in the metadata, its paths in the
# application's files (jars read inside); no secret-looking variable or key file
for json in "$OCI/index.json" "$MANIFEST" "$CONFIG"; do
    for word in "$ROOT" "$HOME" "$(hostname)"; do
        grep -q -w -F -- "$word" "$json" && fail "$(basename "$json") names $word"
    done
done
jq -r '.config.Env[]' "$CONFIG" | cut -d= -f1 | grep -i -E 'secret|password|token|key' && fail "a secret-looking variable in Env"
APPFILES="$WORK/appfiles"
rm -rf "$APPFILES" && mkdir -p "$APPFILES"
for layer in "${LAYERS[@]:2}"; do tar --warning=no-unknown-keyword -C "$APPFILES" -xzf "$layer"; done
while read -r file; do
    found=$({ [[ $file == *.jar ]] && unzip -p "$file" || cat "$file"; } | grep -a -c -F -e "$ROOT" -e "$HOME/" || true)
    ((found == 0)) || fail "${file#"$APPFILES"/} contains a build-machine path"
done < <(find "$APPFILES" -type f)
keys=$(for layer in "${LAYERS[@]}"; do listing "$layer"; done | grep -E '(^|/)(id_[a-z0-9]+|[^/]*\.(pem|key|p12|jks)|\.env|\.netrc)$' || true)
[[ -z $keys ]] || fail "key or credential files in the image: $keys"
log "    no build-machine path, home or host name in the metadata or the application's files; no secrets"

if ((EUID != 0)); then
    log "3. skipped: running the image in a chroot needs root"
    exit 0
fi
log "3. the image unpacked by umoci (an OCI tool) into a runtime bundle; its process run in a chroot"
BUNDLE="$WORK/bundle"
ROOTFS="$BUNDLE/rootfs"
rm -rf "$BUNDLE"
umoci unpack --image "$OCI:quarry:latest" "$BUNDLE" >"$WORK/umoci.log" 2>&1 || { cat "$WORK/umoci.log"; fail "umoci unpack"; }
for fs in proc dev; do
    mount --bind "/$fs" "$ROOTFS/$fs"
    MOUNTS+=("$ROOTFS/$fs")
done
# the process the runtime configuration umoci derived from the image describes: its environment
# (plus the given variables), user, working directory and arguments (the entrypoint, then ours)
RUNTIME="$BUNDLE/config.json"
USER_SPEC=$(jq -r '.process.user | "\(.uid):\(.gid)"' "$RUNTIME")
mapfile -t IMAGE_ENV < <(jq -r '.process.env[]' "$RUNTIME")
mapfile -t ENTRYPOINT < <(jq -r '.process.args[]' "$RUNTIME")
WORKDIR=$(jq -r .process.cwd "$RUNTIME")
[[ $USER_SPEC == "$(jq -r .config.User "$CONFIG"):0" && ${ENTRYPOINT[*]} == "$(jq -r '.config.Entrypoint | join(" ")' "$CONFIG")" ]] \
    || fail "umoci's process ($USER_SPEC ${ENTRYPOINT[*]}) is not the image's"
image_command() { # [VAR=value...] -- [argument...] -> CMD
    local vars=()
    while [[ $1 != -- ]]; do vars+=("$1"); shift; done
    shift
    CMD=(env -i "${IMAGE_ENV[@]}" "${vars[@]}" /usr/sbin/chroot --userspec="$USER_SPEC" "$ROOTFS"
        /bin/sh -c 'cd "$0" && exec "$@"' "$WORKDIR" "${ENTRYPOINT[@]}" "$@")
}

java -Dquarry.embedded.port="$PG_PORT" -Dquarry.embedded.data-directory="$PG_DATA" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 -jar "$ROOT/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/quarry-direct.log" 2>&1 &
PIDS+=($!)
deadline=$(($(date +%s) + 180))
until DIRECT_PORT=$(grep -o -m1 'Listening on: http://127.0.0.1:[0-9]*' "$WORK/quarry-direct.log" | grep -o '[0-9]*$'); do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { grep -E 'ERROR|Exception' "$WORK/quarry-direct.log" | head -5; fail "Quarry from the jar exited"; }
    (($(date +%s) < deadline)) || fail "Quarry from the jar did not listen within 180 s"
    sleep 0.5
done
wait_http "http://127.0.0.1:$DIRECT_PORT/q/health/ready" 180 "Quarry from the jar" "$WORK/quarry-direct.log"
DB=(QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/quarry QUARKUS_DATASOURCE_USERNAME=postgres
    QUARRY_CURSOR_SECRET=image-check)
image_command "${DB[@]}" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$IMAGE_PORT" --
"${CMD[@]}" >"$WORK/quarry-image.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$IMAGE_PORT/q/health/ready" 180 "Quarry from the image" "$WORK/quarry-image.log"
IMAGE_PID=${PIDS[-1]}
[[ $(readlink "/proc/$IMAGE_PID/root") == "$ROOTFS" ]] || fail "the image's Quarry (pid $IMAGE_PID) is not in the chroot"
read -r _ uids < <(grep '^Uid:' "/proc/$IMAGE_PID/status")
[[ $(tr -s '\t ' ' ' <<<"$uids") == "${USER_SPEC%%:*} ${USER_SPEC%%:*} ${USER_SPEC%%:*} ${USER_SPEC%%:*}" ]] \
    || fail "the image's Quarry runs as uids $uids"
log "    pid $IMAGE_PID: $(tr '\0' ' ' <"/proc/$IMAGE_PID/cmdline"), uid ${USER_SPEC%%:*}, root $ROOTFS"
log "    $(grep -o 'Connected to PostgreSQL.*' "$WORK/quarry-image.log"); $(grep -o 'started in [^.]*\.[0-9]*s' "$WORK/quarry-image.log")"
log "    /q/health/ready: $(curl -fsS "http://127.0.0.1:$IMAGE_PORT/q/health/ready" | jq -c '[.status, [.checks[] | .name + " " + .status]]')"
for path in /queries/tpch/q03 /queries/tpch/q06 /queries/analysis/top-customers; do
    cmp -s <(curl -fsS "http://127.0.0.1:$IMAGE_PORT$path") <(curl -fsS "http://127.0.0.1:$DIRECT_PORT$path") \
        || fail "$path from the image differs from the jar's"
done
log "    /queries/tpch/q06 from the image: $(curl -fsS "http://127.0.0.1:$IMAGE_PORT/queries/tpch/q06" | jq -c .rows)"
log "    /queries/tpch/q03, q06 and analysis/top-customers: the image answers as the jar does"
image_command "${DB[@]}" -- load --scale 0.01
"${CMD[@]}" >"$WORK/load.log" 2>&1 || { tail -5 "$WORK/load.log"; fail "load in the image"; }
log "    load --scale 0.01 in the image: $(grep -o 'TPC-H scale .*' "$WORK/load.log" | head -1)"
