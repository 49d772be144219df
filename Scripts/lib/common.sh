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
