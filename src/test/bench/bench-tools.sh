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
