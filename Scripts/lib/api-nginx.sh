# nginx in front of mvm-api, for Scripts/test-api-tools (sourced; uses its helpers and variables:
# WORK, BIN, API_KEY, check, pass, fail, start, wait_for, free_port).
# shellcheck shell=bash

# The nginx block of docs/reverse-proxy.md, with the test's ports and certificate.
nginx_site_config() { # nginx_site_config NGINX_PORT API_PORT CERT KEY
    sed -n '/^# --- begin nginx config/,/^# --- end nginx config/p' "$MVM_ROOT/docs/reverse-proxy.md" \
        | sed -e "s|listen 443 ssl;|listen 127.0.0.1:$1 ssl;|" \
              -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$2;|" \
              -e "s|server_name mvm.example.org;|server_name mvm.test;|" \
              -e "s|/etc/ssl/mvm/fullchain.pem|$3|" \
              -e "s|/etc/ssl/mvm/privkey.pem|$4|"
}

nginx_checks() {
    local dir="$WORK/nginx"
    mkdir -p "$dir/logs" "$dir/tmp"
    # A second mvm-api on the same database with the rate limit on (60/min, burst 10), so that
    # the checks above never meet it.
    local api_port nginx_port
    api_port="$(free_port)"
    nginx_port="$(free_port)"
    sed -e "s|^bind = .*|bind = \"127.0.0.1:$api_port\"|" \
        -e "s|^trusted_proxies = .*|trusted_proxies = [\"127.0.0.1\"]\nrate_limit_per_minute = 60|" \
        "$WORK/mvm.toml" >"$dir/mvm.toml"
    start api-limited "$BIN/mvm-api" --config "$dir/mvm.toml"
    wait_for 20 curl -sf -o /dev/null "http://127.0.0.1:$api_port/api/v1/live" \
        || { fail "nginx: rate-limited mvm-api starts" "$WORK/api-limited.log"; return; }

    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mvm.test" \
        -addext "subjectAltName=DNS:mvm.test" -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1 \
        || { fail "nginx: self-signed certificate" "$dir/openssl.log"; return; }
    nginx_site_config "$nginx_port" "$api_port" "$dir/cert.pem" "$dir/key.pem" >"$dir/mvm.conf"
    grep -q "listen 127.0.0.1:$nginx_port ssl;" "$dir/mvm.conf" \
        || { fail "nginx: docs/reverse-proxy.md has the nginx block" "$dir/mvm.conf"; return; }
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/mvm.conf;
}
EOF
    check "nginx: the docs/reverse-proxy.md configuration passes nginx -t" nginx -t -p "$dir" -c "$dir/nginx.conf"
    start nginx nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
    local base="https://mvm.test:$nginx_port/mvm"
    local tls=(--cacert "$dir/cert.pem" --resolve "mvm.test:$nginx_port:127.0.0.1" -s)
    wait_for 10 curl "${tls[@]}" -o /dev/null "$base/api/v1/live" \
        || { fail "nginx: starts and proxies" "$dir/logs/error.log"; return; }

    # status CLIENT_ADDRESS URL [curl args]: the HTTP status of one request from that source address.
    status() { local from="$1" url="$2"; shift 2; curl "${tls[@]}" --interface "$from" -o /dev/null -w '%{http_code}' "$@" "$url"; }
    direct() { local from="$1" path="$2"; shift 2; curl -s --interface "$from" -o /dev/null -w '%{http_code}' "$@" "http://127.0.0.1:$api_port$path"; }

    prefixed_with_key() {
        # Into files first: with pipefail, `curl | grep -q` fails whenever grep matches and exits
        # before curl has written the whole (large) body.
        curl "${tls[@]}" -fsS -o "$dir/prefixed.status" -H "Authorization: Bearer $API_KEY" "$base/api/v1/status" \
            && grep -q '"chain" *: *"midnight"' "$dir/prefixed.status" \
            && curl "${tls[@]}" -fsS -o "$dir/prefixed.metrics" -H "X-API-Key: $API_KEY" "$base/metrics" \
            && grep -q '^mvm_node_up{' "$dir/prefixed.metrics"
    }
    check "nginx: TLS + /mvm prefix reach /api/v1/status and /metrics with the key" prefixed_with_key
    auth_passes_through() {
        local headers="$dir/unauth.headers" code
        code="$(curl "${tls[@]}" -D "$headers" -o "$dir/unauth.json" -w '%{http_code}' "$base/api/v1/blocks")"
        echo "no key: $code"; cat "$headers" "$dir/unauth.json"
        [ "$code" = 401 ] && grep -qi '^www-authenticate: *bearer' "$headers" && grep -q '"unauthorized"' "$dir/unauth.json" || return 1
        code="$(status 127.0.0.1 "$base/api/v1/blocks" -H "Authorization: Bearer wrong-$API_KEY")"; echo "wrong key: $code"
        [ "$code" = 401 ] || return 1
        code="$(status 127.0.0.1 "$base/api/v1/health")"; echo "health without key: $code"
        [ "$code" = 200 ] || [ "$code" = 503 ]
    }
    check "nginx: auth passes through (401 + WWW-Authenticate without key, /health open)" auth_passes_through

    # The rate limit: 10 at once per client, then 1/s.
    # burst FROM N [args]: how many of N back-to-back requests through nginx (one connection,
    # one curl) were answered 429.
    burst() {
        local from="$1" n="$2" i urls=(); shift 2
        for ((i = 0; i < n; i++)); do urls+=(-o /dev/null "$base/api/v1/status"); done
        curl "${tls[@]}" --interface "$from" -w '%{http_code}\n' -H "X-API-Key: $API_KEY" "$@" "${urls[@]}" | grep -c '^429$' || true
    }
    forwarded_for_respected() {
        local a b c d
        a="$(burst 127.0.0.2 16)"; echo "127.0.0.2 via nginx: $a of 16 limited"
        [ "$a" -ge 4 ] || return 1
        b="$(burst 127.0.0.3 5)"; echo "127.0.0.3 via nginx right after: $b of 5 limited (own bucket)"
        [ "$b" -eq 0 ] || return 1
        c="$(burst 127.0.0.2 5 -H "X-Forwarded-For: 127.0.0.77")"
        echo "127.0.0.2 via nginx claiming X-Forwarded-For 127.0.0.77: $c of 5 limited (spoof ignored)"
        [ "$c" -ge 3 ] || return 1
        d="$(for _ in 1 2 3 4 5; do direct 127.0.0.4 /api/v1/status -H "X-API-Key: $API_KEY" -H "X-Forwarded-For: 127.0.0.2"; echo; done | grep -c '^429$' || true)"
        echo "127.0.0.4 directly, claiming X-Forwarded-For 127.0.0.2: $d of 5 limited (untrusted peer, header ignored)"
        [ "$d" -eq 0 ]
    }
    check "nginx: X-Forwarded-For names the client only from the trusted proxy" forwarded_for_respected
}
