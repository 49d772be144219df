# Shared helpers for the scripts in Scripts/. Source it; don't run it.
# shellcheck shell=bash

MVM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export MVM_ROOT

# The Swift toolchain lives in /opt/swift on our machines; make sure it is on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="$PATH:/opt/swift/usr/bin"
fi

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ensure_packages PKG...: installs the Debian packages that are missing (apt-get install -y),
# running `apt-get update` once first. Installed packages are left alone.
ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The Debian packages the build needs: SQLite and ncursesw headers, pkg-config for the ncursesw module.
BUILD_PACKAGES=(libsqlite3-dev libncurses-dev pkg-config)

# The Debian packages the tests need beyond the build: tmux (dashboard tests in a real terminal);
# prometheus (promtool and the server), nginx-light, openssl and curl for Scripts/test-api-tools.
TEST_PACKAGES=(tmux prometheus nginx-light openssl curl)

command -v swift >/dev/null 2>&1 || die "Swift 6.3 is required (expected at /opt/swift/usr/bin/swift)"

# start_devnode DIR NAME ARGS...: starts DIR/mvm-devnode on a free loopback port with ARGS, its log
# in $WORK/NAME-node.log; sets NODE_PORT and NODE_PID and adds the PID to PIDS (the caller's cleanup
# stops it). Fails if the node exits or has not bound its port within 120 s.
start_devnode() {
    local dir=$1 name=$2; shift 2
    rm -f "$WORK/$name.port"
    "$dir/mvm-devnode" --port 0 --port-file "$WORK/$name.port" --log-level warning "$@" 2>"$WORK/$name-node.log" &
    NODE_PID=$!
    PIDS+=("$NODE_PID")
    local i
    for i in $(seq 1 1200); do
        [ -s "$WORK/$name.port" ] && break
        kill -0 "$NODE_PID" 2>/dev/null || die "mvm-devnode $name exited: $(cat "$WORK/$name-node.log")"
        sleep 0.1
    done
    NODE_PORT=$(tr -d '\n' <"$WORK/$name.port" 2>/dev/null || true)
    [ -n "$NODE_PORT" ] || die "mvm-devnode $name did not start within 120 s"
}
