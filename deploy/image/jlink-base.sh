#!/usr/bin/env bash
# Makes a JVM base image without any container registry: a jlink runtime of the local JDK 17 and
# the shared libraries it links, as a `docker save` tarball, the form Jib reads as a tar:// base.
# The oci-image Maven profile runs it (./mvnw package -DskipTests -Poci-image); Quarkus' Jib
# extension takes it too: -Dquarkus.jib.base-jvm-image=tar://$PWD/target/image/jre17-base.tar
# For machines that reach no registry (as the one this was written on); elsewhere keep Quarkus'
# default base image (UBI 9 OpenJDK 17 runtime), which is maintained.
# Usage: deploy/image/jlink-base.sh [output.tar]   (JAVA_HOME picks the JDK; Linux x86_64 or arm64)
set -euo pipefail
OUT=$(realpath -m "${1:-target/image/jre17-base.tar}")
JDK=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs
JAVA_DIR=/usr/lib/jvm/jre17        # where the runtime lives in the image

"$JDK/bin/jlink" --add-modules ALL-MODULE-PATH --strip-debug --no-header-files --no-man-pages \
    --output "$ROOT$JAVA_DIR" >/dev/null 2>&1
"$ROOT$JAVA_DIR/bin/java" -version 2>&1 | head -1 | grep -q '"17\.' || { echo "jlink-base.sh: $JDK is not a JDK 17" >&2; exit 1; }
# the shared libraries of the runtime, sleep (for a preStop hook) and a shell, with the name
# service modules glibc loads at run time
{
    find "$ROOT$JAVA_DIR" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null
    ldd /bin/sleep /bin/sh
} | grep -o '/[^ ]*' | grep -v -e "^$WORK" -e ":$" | sort -u >"$WORK/libs"
for lib in $(cat "$WORK/libs") /bin/sleep /bin/sh $(ls /lib/*-linux-gnu/libnss_{files,dns}.so.2 /lib/*-linux-gnu/libresolv.so.2 2>/dev/null); do
    cp -L --parents "$lib" "$ROOT/"
done
mkdir -p "$ROOT/tmp" "$ROOT/etc" "$ROOT/home/jboss" "$ROOT/proc" "$ROOT/dev"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\njboss:x:185:0:jboss:/home/jboss:/bin/sh\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\n' >"$ROOT/etc/group"
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"

mkdir -p "$WORK/image"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$ROOT" -cf "$WORK/image/layer.tar" .
# the home of uid 185, its own (Java's user.home; Quarkus' Jib extension also works in it)
chown 185:0 "$ROOT/home/jboss"
tar --numeric-owner --mtime=@0 -C "$ROOT" -rf "$WORK/image/layer.tar" ./home/jboss
DIFF_ID=$(sha256sum "$WORK/image/layer.tar" | cut -d' ' -f1)
case "$(uname -m)" in x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; *) ARCH=$(uname -m) ;; esac
cat >"$WORK/image/config.json" <<JSON
{"architecture":"$ARCH","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=$JAVA_DIR/bin:/usr/bin:/bin","JAVA_HOME=$JAVA_DIR"],"User":"185","WorkingDir":"/home/jboss"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/jlink-base.sh: jlink runtime of $("$ROOT$JAVA_DIR/bin/java" -version 2>&1 | head -1 | tr -d '"')"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["quarry-jre17-base:local"],"Layers":["layer.tar"]}]' >"$WORK/image/manifest.json"
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK/image" -cf "$OUT" manifest.json config.json layer.tar
echo "$OUT: $(du -h "$OUT" | cut -f1), $(grep -o 'jlink runtime of [^"]*' "$WORK/image/config.json")"
