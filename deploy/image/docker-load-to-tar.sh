#!/bin/sh
# Stands in for the docker CLI so that Quarkus' Jib writes the image to a tar file instead of a
# Docker daemon: Jib streams the image, in `docker save` format, into `docker load`; this keeps it.
#   ./mvnw package -DskipTests -Dquarkus.container-image.build=true \
#       -Dquarkus.jib.docker-executable-name=$PWD/deploy/image/docker-load-to-tar.sh
# writes target/quarry-image.tar (QUARRY_IMAGE_TAR to change it); `docker load -i` or
# `skopeo copy docker-archive:target/quarry-image.tar ...` take it from there.
set -eu
case "${1:-}" in
    load)
        out="${QUARRY_IMAGE_TAR:-target/quarry-image.tar}"
        cat >"$out"
        echo "Loaded image: quarry:latest (written to $out)"
        ;;
    info)
        # Jib asks the daemon for its platform
        echo '{"OSType":"linux","Architecture":"x86_64"}'
        ;;
    *)
        echo "docker-load-to-tar.sh: only 'load' and 'info' are supported, not: $*" >&2
        exit 1
        ;;
esac
