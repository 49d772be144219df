# Throwaway PostgreSQL servers for tests and benchmarks. Source it; don't run it.
# shellcheck shell=bash
#
#   source Scripts/lib/postgres.sh
#   pg_start            # initdb in a temp dir, start on a free 127.0.0.1 port, create a database
#   ... use $SPOM_TEST_POSTGRES_URL ...
#   pg_stop             # stop the server and delete its directory (also safe from a trap)
#
# pg_start exports:
#   SPOM_TEST_POSTGRES_URL       postgres://USER:PASSWORD@127.0.0.1:PORT/DB
#   SPOM_TEST_POSTGRES_HOST      127.0.0.1
#   SPOM_TEST_POSTGRES_PORT      the port it listens on
#   SPOM_TEST_POSTGRES_USER      the test user (password / SCRAM authentication over TCP)
#   SPOM_TEST_POSTGRES_PASSWORD  its password
#   SPOM_TEST_POSTGRES_DB        the database
#   SPOM_TEST_POSTGRES_DIR       the temporary directory (data in data/, socket in the dir itself)
#   SPOM_TEST_POSTGRES_BIN       the directory with initdb / pg_ctl
# Local (unix socket) connections are trusted, TCP needs the password (scram-sha-256).
# Works as root: the server runs as the `postgres` system user (or the invoking user when not root).
# `pg_ctl_as stop` / `pg_ctl_as start` let a test stop and restart the same server.

# pg_find_bin: prints the newest Debian PostgreSQL bin directory, installing `postgresql` when missing.
pg_find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        printf '==> installing Debian package: postgresql\n' >&2
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2 || return 1
        dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    fi
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || { printf 'error: no PostgreSQL initdb under /usr/lib/postgresql/*/bin\n' >&2; return 1; }
    printf '%s\n' "$dir"
}

# pg_free_port: prints a TCP port that nothing listens on at 127.0.0.1 right now.
pg_free_port() {
    python3 - <<'EOF' 2>/dev/null && return 0
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
    # No python: probe random high ports with bash's /dev/tcp.
    local port tries=0
    while [ $tries -lt 200 ]; do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"; return 0
        fi
        tries=$((tries + 1))
    done
    return 1
}

# pg_run_as CMD...: runs a command as the server's owner (postgres when we are root).
pg_run_as() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "${SPOM_TEST_POSTGRES_OS_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

# pg_ctl_as start|stop|status: controls the server started by pg_start.
pg_ctl_as() {
    local action="$1"
    case "$action" in
        start)
            # In a subshell that first closes every descriptor above stderr: the server lives on
            # after this call and must not keep the caller's pipes open (a test process restarting
            # its private server would hand it the write end of the `start-foreground` script's
            # stdin, and the script would then never see EOF and never stop its server).
            (
                for fd in /proc/$BASHPID/fd/*; do
                    fd=${fd##*/}
                    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
                done
                pg_run_as "$SPOM_TEST_POSTGRES_BIN/pg_ctl" -D "$SPOM_TEST_POSTGRES_DIR/data" \
                    -l "$SPOM_TEST_POSTGRES_DIR/server.log" -w -t 30 \
                    -o "-c listen_addresses=127.0.0.1 -p $SPOM_TEST_POSTGRES_PORT -k $SPOM_TEST_POSTGRES_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
                    start >/dev/null </dev/null
            )
            ;;
        stop)
            pg_run_as "$SPOM_TEST_POSTGRES_BIN/pg_ctl" -D "$SPOM_TEST_POSTGRES_DIR/data" -w -t 30 -m fast stop >/dev/null
            ;;
        status)
            pg_run_as "$SPOM_TEST_POSTGRES_BIN/pg_ctl" -D "$SPOM_TEST_POSTGRES_DIR/data" status >/dev/null
            ;;
        *) printf 'error: pg_ctl_as start|stop|status\n' >&2; return 2 ;;
    esac
}

# pg_start: creates, starts and exports a throwaway server (see the header).
pg_start() {
    local bin dir port user="mvm_test" db="mvm_test" password os_user
    bin="$(pg_find_bin)" || return 1
    if [ "$(id -u)" -eq 0 ]; then
        os_user="${SPOM_TEST_POSTGRES_OS_USER:-postgres}"
        getent passwd "$os_user" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user" || return 1
    else
        os_user="$(id -un)"
    fi
    dir="$(mktemp -d "${TMPDIR:-/tmp}/mvm-pg.XXXXXX")" || return 1
    chmod 700 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$os_user" "$dir"
    password="pw$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    export SPOM_TEST_POSTGRES_DIR="$dir" SPOM_TEST_POSTGRES_BIN="$bin" SPOM_TEST_POSTGRES_OS_USER="$os_user"

    local pwfile="$dir/pwfile"
    printf '%s\n' "$password" >"$pwfile"
    [ "$(id -u)" -eq 0 ] && chown "$os_user" "$pwfile"
    chmod 600 "$pwfile"
    if ! pg_run_as "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        # Older servers / missing locales: retry with the C locale.
        rm -rf "$dir/data"
        pg_run_as "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
            || { printf 'error: initdb failed, see %s/initdb.log\n' "$dir" >&2; cat "$dir/initdb.log" >&2; return 1; }
    fi
    rm -f "$pwfile"

    local attempt
    for attempt in 1 2 3 4 5; do
        port="$(pg_free_port)" || { printf 'error: no free loopback port\n' >&2; return 1; }
        export SPOM_TEST_POSTGRES_PORT="$port"
        if pg_ctl_as start; then break; fi
        [ "$attempt" -eq 5 ] && { printf 'error: pg_ctl start failed, see %s/server.log\n' "$dir" >&2; tail -n 20 "$dir/server.log" >&2; return 1; }
    done

    pg_run_as "$bin/createdb" -h "$dir" -p "$port" -U "$user" "$db" || { printf 'error: createdb failed\n' >&2; return 1; }

    export SPOM_TEST_POSTGRES_HOST="127.0.0.1" SPOM_TEST_POSTGRES_USER="$user" \
        SPOM_TEST_POSTGRES_PASSWORD="$password" SPOM_TEST_POSTGRES_DB="$db"
    export SPOM_TEST_POSTGRES_URL="postgres://$user:$password@127.0.0.1:$port/$db"
    printf '==> PostgreSQL %s on 127.0.0.1:%s (dir %s)\n' "$(basename "$(dirname "$bin")")" "$port" "$dir" >&2
}

# pg_stop: stops the server started by pg_start and deletes its directory. Safe to call twice
# and from an EXIT trap.
pg_stop() {
    local dir="${SPOM_TEST_POSTGRES_DIR:-}"
    [ -n "$dir" ] || return 0
    if [ -d "$dir/data" ]; then
        pg_ctl_as stop 2>/dev/null || pg_run_as "$SPOM_TEST_POSTGRES_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    case "$dir" in
        */mvm-pg.*) rm -rf "$dir" ;;
    esac
    unset SPOM_TEST_POSTGRES_URL SPOM_TEST_POSTGRES_HOST SPOM_TEST_POSTGRES_PORT SPOM_TEST_POSTGRES_USER \
        SPOM_TEST_POSTGRES_PASSWORD SPOM_TEST_POSTGRES_DB SPOM_TEST_POSTGRES_DIR
}

# When run directly (not sourced): `Scripts/lib/postgres.sh start-foreground` starts a server,
# prints `export …` lines, and stops it on stdin EOF / SIGTERM. Tests use this to get a server
# of their own when SPOM_TEST_POSTGRES_URL is not set.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        start-foreground)
            trap pg_stop EXIT
            trap 'exit 0' TERM INT
            pg_start
            for var in SPOM_TEST_POSTGRES_URL SPOM_TEST_POSTGRES_HOST SPOM_TEST_POSTGRES_PORT SPOM_TEST_POSTGRES_USER \
                SPOM_TEST_POSTGRES_PASSWORD SPOM_TEST_POSTGRES_DB SPOM_TEST_POSTGRES_DIR SPOM_TEST_POSTGRES_BIN \
                SPOM_TEST_POSTGRES_OS_USER; do
                printf '%s=%s\n' "$var" "${!var}"
            done
            printf 'READY\n'
            # Wait for the parent to close our stdin (or kill us). `cat` runs in the background so a
            # TERM is handled at once (bash defers traps while a foreground child runs). The
            # explicit `<&0` matters: without job control bash gives a background command
            # /dev/null as stdin, so `cat` would end at once and take the server down with it.
            cat <&0 >/dev/null &
            wait $! || true
            ;;
        *) printf 'usage: %s start-foreground   (or source it and call pg_start / pg_stop)\n' "$0" >&2; exit 2 ;;
    esac
fi
