#!/usr/bin/env bash
# Starts (or stops) a loopback nginx with Mozilla's "old" profile (server-side TLS guidelines 5.8),
# for comparing tls-inspect with sslscan and nmap on the same server. Loopback only.
#
#   bench/nginx-old.sh start [PORT]   # default port 8443; prints the port and the temp dir
#   bench/nginx-old.sh stop           # stops the nginx this script started, removes its temp dir
#
# Installs nginx, sslscan and nmap with apt-get when missing (needs root).
# Differences from the profile, because nginx here links OpenSSL 3.0:
#  - ssl_ecdh_curve drops X25519MLKEM768 (OpenSSL 3.0 has no ML-KEM); X25519:prime256v1:secp384r1 stay;
#  - "@SECLEVEL=0" is appended to ssl_ciphers: OpenSSL 3.0's default level 1 refuses TLS 1.0/1.1
#    (SHA-1 signatures) and DES-CBC3-SHA;
#  - only an RSA 2048 certificate (the profile's certificate_types is "rsa"), so the 9 ECDHE-ECDSA
#    suites of the list are configured but cannot be negotiated.
# All 21 TLS 1.2-and-older suites of the list exist in OpenSSL 3.0 (`openssl ciphers -v` lists them).
set -euo pipefail

state="${TMPDIR:-/tmp}/tls-inspect-nginx-old.dir"
ciphers='ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA'

install_missing() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v sslscan >/dev/null || missing+=(sslscan)
  command -v nmap >/dev/null || missing+=(nmap)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

nginx_bin() {
  command -v nginx || echo /usr/sbin/nginx
}

start() {
  local port="${1:-8443}"
  if [ -f "$state" ] && [ -d "$(cat "$state")" ]; then
    echo "already running in $(cat "$state"); run '$0 stop' first" >&2
    exit 1
  fi
  install_missing
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/tls-inspect-nginx-old.XXXXXX")"
  mkdir -p "$dir/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  server {
    listen 127.0.0.1:$port ssl;
    server_name localhost;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_ciphers '$ciphers@SECLEVEL=0';
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_prefer_server_ciphers on;
    ssl_session_cache off;
    ssl_session_tickets off;
    location / { return 200 "ok\n"; }
  }
}
CONF
  mkdir -p "$dir/tmp"
  "$(nginx_bin)" -p "$dir" -c "$dir/nginx.conf"
  echo "$dir" > "$state"
  echo "nginx (Mozilla old) on 127.0.0.1:$port, files in $dir"
}

stop() {
  if [ ! -f "$state" ]; then
    echo "not running" >&2
    return 0
  fi
  local dir
  dir="$(cat "$state")"
  if [ -f "$dir/nginx.pid" ]; then
    "$(nginx_bin)" -p "$dir" -c "$dir/nginx.conf" -s stop || true
  fi
  rm -rf "$dir" "$state"
  echo "stopped"
}

case "${1:-}" in
  start) start "${2:-8443}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
